package dev.freshet.web.security;

import org.eclipse.microprofile.config.Config;

import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

/**
 * An LDAP directory (OpenLDAP, Active Directory) asked the way directories expect: bind as the service account, find
 * the one entry whose {@code user-filter} matches the name given, bind as that entry with the password given, then
 * search the groups whose {@code group-filter} names the entry. Names and DNs go into filters as JNDI filter
 * arguments, which escapes them (RFC 4515): a user name such as {@code *)(uid=*} matches nobody.
 *
 * <p>Settings ({@code freshet.ldap.*}): {@code url} ({@code ldap://} or {@code ldaps://}), {@code bind-dn},
 * {@code bind-password}, {@code user-base}, {@code user-filter} (default {@code (uid={0})}; Active Directory:
 * {@code (sAMAccountName={0})}), {@code group-base} (default: {@code user-base}), {@code group-filter} (default
 * {@code (|(member={0})(uniqueMember={0}))}; nested groups in Active Directory:
 * {@code (member:1.2.840.113556.1.4.1941:={0})}), {@code group-name} (the attribute that names a group, default
 * {@code cn}), {@code timeout-ms} (connect and read, default 5000).
 */
public final class LdapDirectory {
    /** What a sign-in against the directory came to. */
    public sealed interface Result permits Authenticated, Refused, Unavailable {
    }

    /** The user exists, the password is right; its name as the directory spells it and its groups. */
    public record Authenticated(String user, List<String> groups) implements Result {
    }

    /** No such user, more than one, or a wrong or empty password. */
    public record Refused() implements Result {
    }

    /** The directory could not be asked (down, the service account refused, a timeout). */
    public record Unavailable(String reason) implements Result {
    }

    private final String url;
    private final String bindDn;
    private final String bindPassword;
    private final String userBase;
    private final String userFilter;
    private final String groupBase;
    private final String groupFilter;
    private final String groupName;
    private final int timeoutMillis;

    public LdapDirectory(String url, String bindDn, String bindPassword, String userBase, String userFilter,
                         String groupBase, String groupFilter, String groupName, int timeoutMillis) {
        if (!url.startsWith("ldap://") && !url.startsWith("ldaps://")) {
            throw new IllegalArgumentException("freshet.ldap.url must start with ldap:// or ldaps://, not " + url);
        }
        this.url = url;
        this.bindDn = bindDn;
        this.bindPassword = bindPassword;
        this.userBase = userBase;
        this.userFilter = userFilter;
        this.groupBase = groupBase;
        this.groupFilter = groupFilter;
        this.groupName = groupName;
        this.timeoutMillis = timeoutMillis;
    }

    /** The directory {@code config} names ({@code freshet.ldap.*}), if it names one. */
    public static Optional<LdapDirectory> from(Config config) {
        Optional<String> url = config.getOptionalValue("freshet.ldap.url", String.class).filter(s -> !s.isBlank());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String userBase = config.getOptionalValue("freshet.ldap.user-base", String.class).orElse("");
        return Optional.of(new LdapDirectory(url.get().trim(),
                config.getOptionalValue("freshet.ldap.bind-dn", String.class).orElse(""),
                config.getOptionalValue("freshet.ldap.bind-password", String.class).orElse(""),
                userBase,
                config.getOptionalValue("freshet.ldap.user-filter", String.class).orElse("(uid={0})"),
                config.getOptionalValue("freshet.ldap.group-base", String.class).orElse(userBase),
                config.getOptionalValue("freshet.ldap.group-filter", String.class).orElse("(|(member={0})(uniqueMember={0}))"),
                config.getOptionalValue("freshet.ldap.group-name", String.class).orElse("cn"),
                config.getOptionalValue("freshet.ldap.timeout-ms", Integer.class).orElse(5000)));
    }

    public String url() {
        return url;
    }

    public Result authenticate(String user, String password) {
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            // an empty password is an "unauthenticated bind" (RFC 4513 5.1.2), which many directories accept: it
            // proves nothing
            return new Refused();
        }
        DirContext service;
        try {
            service = bind(bindDn, bindPassword);
        } catch (NamingException e) {
            return new Unavailable("binding as " + (bindDn.isEmpty() ? "anonymous" : bindDn) + ": " + e);
        }
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setReturningAttributes(new String[0]);
            controls.setCountLimit(2);
            controls.setTimeLimit(timeoutMillis);
            List<String> found = new ArrayList<>();
            NamingEnumeration<SearchResult> users;
            try {
                users = service.search(userBase, userFilter, new Object[] {user}, controls);
                while (users.hasMore()) {
                    found.add(users.next().getNameInNamespace());
                }
            } catch (javax.naming.SizeLimitExceededException e) {
                return new Refused(); // more than one entry: the name does not say who
            }
            if (found.size() != 1) {
                return new Refused();
            }
            String dn = found.get(0);
            try {
                bind(dn, password).close();
            } catch (AuthenticationException e) {
                return new Refused();
            }
            SearchControls groupControls = new SearchControls();
            groupControls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            groupControls.setReturningAttributes(new String[] {groupName});
            groupControls.setTimeLimit(timeoutMillis);
            List<String> groups = new ArrayList<>();
            NamingEnumeration<SearchResult> results = service.search(groupBase, groupFilter, new Object[] {dn},
                    groupControls);
            while (results.hasMore()) {
                Attribute name = results.next().getAttributes().get(groupName);
                if (name != null && name.get() != null) {
                    groups.add(name.get().toString());
                }
            }
            return new Authenticated(user, List.copyOf(groups));
        } catch (NamingException e) {
            return new Unavailable("searching " + url + ": " + e);
        } finally {
            try {
                service.close();
            } catch (NamingException ignored) {
                // closing a connection that failed
            }
        }
    }

    private DirContext bind(String dn, String password) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("com.sun.jndi.ldap.connect.timeout", Integer.toString(timeoutMillis));
        env.put("com.sun.jndi.ldap.read.timeout", Integer.toString(timeoutMillis));
        env.put(Context.REFERRAL, "ignore");
        if (dn.isEmpty()) {
            env.put(Context.SECURITY_AUTHENTICATION, "none");
        } else {
            env.put(Context.SECURITY_AUTHENTICATION, "simple");
            env.put(Context.SECURITY_PRINCIPAL, dn);
            env.put(Context.SECURITY_CREDENTIALS, password);
        }
        return new InitialDirContext(env);
    }
}

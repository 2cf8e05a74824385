package dev.freshet.web.security;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The directory sign-in against a real LDAP server (UnboundID's, in this process, on loopback). */
public class LdapDirectoryTest {
    public static final String BASE = "dc=example,dc=test";
    static InMemoryDirectoryServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        server = directory();
        url = "ldap://127.0.0.1:" + server.getListenPort();
    }

    /** A directory: people alice (admins), bob (viewers), carol (no group), two entries called twin; a service account. */
    public static InMemoryDirectoryServer directory() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                null));
        config.setSchema(null); // entries as written, no schema checks
        InMemoryDirectoryServer s = new InMemoryDirectoryServer(config);
        s.add("dn: " + BASE, "objectClass: domain", "dc: example");
        s.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
        s.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
        s.add("dn: cn=freshet,ou=people," + BASE, "objectClass: person", "cn: freshet", "sn: service",
                "userPassword: service-secret");
        for (String[] p : new String[][] {{"alice", "alice-pw"}, {"bob", "bob-pw"}, {"carol", "carol-pw"},
                {"pia", "pia-pw"}, {"paul", "paul-pw"}}) {
            s.add("dn: uid=" + p[0] + ",ou=people," + BASE, "objectClass: inetOrgPerson", "uid: " + p[0], "cn: " + p[0],
                    "sn: " + p[0], "userPassword: " + p[1]);
        }
        s.add("dn: cn=twin1,ou=people," + BASE, "objectClass: inetOrgPerson", "uid: twin", "cn: twin1", "sn: t",
                "userPassword: twin-pw");
        s.add("dn: cn=twin2,ou=people," + BASE, "objectClass: inetOrgPerson", "uid: twin", "cn: twin2", "sn: t",
                "userPassword: twin-pw");
        s.add("dn: cn=Freshet-Admins,ou=groups," + BASE, "objectClass: groupOfNames", "cn: Freshet-Admins",
                "member: uid=alice,ou=people," + BASE);
        s.add("dn: cn=freshet-viewers,ou=groups," + BASE, "objectClass: groupOfNames", "cn: freshet-viewers",
                "member: uid=bob,ou=people," + BASE, "member: uid=alice,ou=people," + BASE);
        s.add("dn: cn=freshet-publishers,ou=groups," + BASE, "objectClass: groupOfUniqueNames",
                "cn: freshet-publishers", "uniqueMember: uid=pia,ou=people," + BASE);
        s.add("dn: cn=paris-publishers,ou=groups," + BASE, "objectClass: groupOfNames", "cn: paris-publishers",
                "member: uid=paul,ou=people," + BASE);
        s.startListening();
        return s;
    }

    @AfterAll
    static void stop() {
        server.shutDown(true);
    }

    private static LdapDirectory dir(String bindPassword) {
        return new LdapDirectory(url, "cn=freshet,ou=people," + BASE, bindPassword, "ou=people," + BASE, "(uid={0})",
                "ou=groups," + BASE, "(|(member={0})(uniqueMember={0}))", "cn", 5000);
    }

    @Test
    void aUserWithTheRightPasswordGetsItsGroups() {
        assertThat(dir("service-secret").authenticate("alice", "alice-pw"))
                .isEqualTo(new LdapDirectory.Authenticated("alice", List.of("Freshet-Admins", "freshet-viewers")));
        assertThat(dir("service-secret").authenticate("pia", "pia-pw"))
                .isEqualTo(new LdapDirectory.Authenticated("pia", List.of("freshet-publishers")));
        assertThat(dir("service-secret").authenticate("carol", "carol-pw"))
                .isEqualTo(new LdapDirectory.Authenticated("carol", List.of()));
    }

    @Test
    void wrongEmptyOrUnknownCredentialsAreRefused() {
        LdapDirectory d = dir("service-secret");
        assertThat(d.authenticate("alice", "bob-pw")).isInstanceOf(LdapDirectory.Refused.class);
        // an empty password would be an unauthenticated bind, which directories accept
        assertThat(d.authenticate("alice", "")).isInstanceOf(LdapDirectory.Refused.class);
        assertThat(d.authenticate("nobody", "x")).isInstanceOf(LdapDirectory.Refused.class);
        assertThat(d.authenticate("", "x")).isInstanceOf(LdapDirectory.Refused.class);
        // a name that matches two entries says nobody in particular
        assertThat(d.authenticate("twin", "twin-pw")).isInstanceOf(LdapDirectory.Refused.class);
    }

    @Test
    void filterSyntaxInANameMatchesNobody() {
        LdapDirectory d = dir("service-secret");
        for (String hostile : List.of("*", "al*", "*)(uid=*", "alice)(|(uid=*", "\\2a", "alice\u0000")) {
            assertThat(d.authenticate(hostile, "alice-pw")).as(hostile).isInstanceOf(LdapDirectory.Refused.class);
        }
    }

    @Test
    void aDirectoryThatCannotBeAskedIsUnavailableNotARefusal() throws Exception {
        assertThat(dir("wrong-service-secret").authenticate("alice", "alice-pw"))
                .isInstanceOf(LdapDirectory.Unavailable.class);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        LdapDirectory down = new LdapDirectory("ldap://127.0.0.1:" + closed, "", "", "ou=people," + BASE, "(uid={0})",
                "ou=groups," + BASE, "(member={0})", "cn", 2000);
        assertThat(down.authenticate("alice", "alice-pw")).isInstanceOf(LdapDirectory.Unavailable.class);
        assertThatThrownBy(() -> new LdapDirectory("http://127.0.0.1", "", "", "", "", "", "", "cn", 1))
                .hasMessageContaining("ldap://");
    }

    @Test
    void groupsMapToRolesWithoutRegardToCase() {
        GroupRoles roles = new GroupRoles(Map.of("admin", List.of("freshet-admins"), "viewer",
                List.of("freshet-viewers", "Everyone"), "publisher", List.of("freshet-publishers")));
        assertThat(roles.rolesOf(List.of("Freshet-Admins", "freshet-viewers"))).containsExactlyInAnyOrder("admin", "viewer");
        assertThat(roles.rolesOf(List.of("EVERYONE"))).containsExactly("viewer");
        assertThat(roles.rolesOf(List.of("freshet-publishers"))).containsExactly("publisher");
        assertThat(roles.rolesOf(List.of("staff"))).isEmpty();
        assertThatThrownBy(() -> new GroupRoles(Map.of("root", List.of("x")))).hasMessageContaining("no role root");
    }

    @Test
    void scopedGroupsLimitPublishingToTheirOfficesUnlessAnotherGroupDoesNot() {
        GroupRoles roles = new GroupRoles(Map.of("admin", List.of("freshet-admins"), "publisher",
                List.of("paris-publishers", "dach-publishers", "all-publishers"), "viewer", List.of("staff")),
                Map.of("paris-publishers", java.util.Set.of("paris"), "DACH-publishers", java.util.Set.of("berlin", "munich")));
        assertThat(roles.rolesAndScopeOf(List.of("paris-publishers", "staff")))
                .containsExactlyInAnyOrder("publisher", "viewer", "office:paris");
        assertThat(roles.rolesAndScopeOf(List.of("paris-publishers", "dach-publishers")))
                .containsExactlyInAnyOrder("publisher", "office:paris", "office:berlin", "office:munich");
        // another group lets the same user publish anywhere: no scope
        assertThat(roles.rolesAndScopeOf(List.of("paris-publishers", "all-publishers"))).containsExactly("publisher");
        assertThat(roles.rolesAndScopeOf(List.of("paris-publishers", "freshet-admins")))
                .containsExactlyInAnyOrder("publisher", "admin");
        assertThat(GroupRoles.scopeIn(roles.rolesAndScopeOf(List.of("dach-publishers"))))
                .containsExactlyInAnyOrder("berlin", "munich");
        assertThatThrownBy(() -> new GroupRoles(Map.of(), Map.of("g", java.util.Set.of("no such/office"))))
                .isInstanceOf(RuntimeException.class);
    }
}

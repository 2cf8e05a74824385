package dev.freshet.web.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Set;

/**
 * The enterprise directory as an identity store (issue 16): a user signs in with the password the directory knows
 * and gets the roles its groups map to ({@link GroupRoles}). Active only when {@code freshet.ldap.url} is set;
 * beside the node's own accounts, which stay for first start and small installations.
 *
 * <p>Why not {@code @LdapIdentityStoreDefinition}: an annotation's store is always there, so a node without a
 * directory would ask a server that does not exist at every sign-in; this one is configured like every other setting,
 * at start, and absent when not configured.
 */
@ApplicationScoped
public class LdapAccounts implements IdentityStore {
    private static final System.Logger LOG = System.getLogger(LdapAccounts.class.getName());
    private LdapDirectory directory;
    private GroupRoles roles;

    @PostConstruct
    void read() {
        var config = ConfigProvider.getConfig();
        directory = LdapDirectory.from(config).orElse(null);
        roles = GroupRoles.from(config);
        if (directory != null) {
            LOG.log(System.Logger.Level.INFO, "Signing in through the directory at {0}", directory.url());
            if (roles.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "freshet.ldap.url is set but no freshet.roles.*: directory users "
                        + "can sign in and have no role");
            }
        }
    }

    @Override
    public Set<ValidationType> validationTypes() {
        // both: the handler keeps the groups of a validation only from a store that also provides groups
        return directory == null ? Set.of() : DEFAULT_VALIDATION_TYPES;
    }

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (directory == null || !(credential instanceof UsernamePasswordCredential up)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        LdapDirectory.Result result = directory.authenticate(up.getCaller(), up.getPasswordAsString());
        if (result instanceof LdapDirectory.Authenticated a) {
            return new CredentialValidationResult(a.user(), roles.rolesAndScopeOf(a.groups()));
        }
        if (result instanceof LdapDirectory.Unavailable u) {
            LOG.log(System.Logger.Level.WARNING, "The directory did not answer: {0}", u.reason());
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        return CredentialValidationResult.INVALID_RESULT;
    }
}

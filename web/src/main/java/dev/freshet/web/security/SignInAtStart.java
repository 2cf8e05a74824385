package dev.freshet.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * The sign-in stores read their settings when the application starts, not at the first sign-in. Payara's
 * MicroProfile Config always has a source backed by the data grid (ordinal 160): a key that no other source holds
 * (every unset {@code freshet.ldap.*} and {@code freshet.oidc.*}) is looked up there, and while a member does not
 * answer (beyond a link that just went down) that lookup waits until the grid gives up on it, about 20 s. A first
 * sign-in during such an outage waited that long (traced in stop 32); at start the grid answers.
 */
@ApplicationScoped
public class SignInAtStart {
    private static final System.Logger LOG = System.getLogger(SignInAtStart.class.getName());

    void read(@Observes @Initialized(ApplicationScoped.class) Object started, LdapAccounts ldap, OpenIdProvider oidc) {
        try {
            ldap.validationTypes(); // a call on the proxy creates the bean: its settings are read now
            oidc.settings();
        } catch (RuntimeException e) {
            // a setting that is wrong fails the first sign-in as before, with its message; the node itself runs
            LOG.log(System.Logger.Level.WARNING, "Freshet could not read its sign-in settings at start: " + e.getMessage());
        }
    }
}

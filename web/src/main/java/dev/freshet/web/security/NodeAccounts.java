package dev.freshet.web.security;

import dev.freshet.control.NodeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/** The identity store of the node's two accounts. Passwords are compared in constant time. */
@ApplicationScoped
public class NodeAccounts implements IdentityStore {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    @Inject
    NodeSettings settings;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential up)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        String password = up.getPasswordAsString();
        if (ADMIN.equals(up.getCaller()) && same(password, Optional.of(settings.adminPassword()))) {
            return new CredentialValidationResult(ADMIN, Set.of(ADMIN));
        }
        if (VIEWER.equals(up.getCaller()) && same(password, settings.viewerPassword())) {
            return new CredentialValidationResult(VIEWER, Set.of(VIEWER));
        }
        return CredentialValidationResult.INVALID_RESULT;
    }

    private static boolean same(String given, Optional<String> expected) {
        return expected.isPresent() && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8));
    }
}

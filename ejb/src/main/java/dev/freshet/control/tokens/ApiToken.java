package dev.freshet.control.tokens;

import java.util.List;

/**
 * One API token as the cluster keeps it: never its secret, only the SHA-256 of it ({@code secretHash}, hex). Times
 * in epoch millis; {@code expiresAt} and {@code revokedAt} 0 for never/not; {@code offices} empty for any office;
 * {@code changedAt}: its last change (creation or revocation), how two copies are told apart (newer wins).
 */
public record ApiToken(String id, String name, String role, List<String> offices, long createdAt, long expiresAt,
                       long revokedAt, String createdBy, String secretHash, long changedAt) {
    public ApiToken {
        offices = offices == null ? List.of() : List.copyOf(offices);
    }

    public boolean revoked() {
        return revokedAt > 0;
    }

    public boolean expired(long now) {
        return expiresAt > 0 && now >= expiresAt;
    }

    public ApiToken revokedAt(long when) {
        return new ApiToken(id, name, role, offices, createdAt, expiresAt, when, createdBy, secretHash, when);
    }

    /**
     * Whether a token of this scope may publish or add a swarm with {@code policy}: any policy without a scope; with
     * one, only {@code offices:} policies whose every office is in the scope (so a publisher of paris sends nothing to
     * berlin).
     */
    public boolean mayPublish(dev.freshet.control.Policy policy) {
        return offices.isEmpty() || policy.within(offices);
    }
}

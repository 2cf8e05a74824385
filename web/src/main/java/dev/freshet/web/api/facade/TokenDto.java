package dev.freshet.web.api.facade;

import dev.freshet.control.tokens.ApiToken;

import java.time.Instant;
import java.util.List;

/**
 * An API token as the API shows it: never its secret's hash; {@code token} only in the answer to its creation (the
 * one time it is shown). Times ISO-8601, null for never/not.
 */
public record TokenDto(String id, String name, String role, List<String> offices, String createdAt,
                       String expiresAt, String revokedAt, String createdBy, String token) {
    public static TokenDto of(ApiToken t, String secret) {
        return new TokenDto(t.id(), t.name(), t.role(), t.offices(), iso(t.createdAt()), iso(t.expiresAt()),
                iso(t.revokedAt()), t.createdBy(), secret);
    }

    private static String iso(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}

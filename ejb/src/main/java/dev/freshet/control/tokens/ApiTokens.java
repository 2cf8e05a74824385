package dev.freshet.control.tokens;

import com.hazelcast.core.HazelcastInstance;
import dev.freshet.control.grid.GridSeal;
import dev.freshet.control.grid.SealedMap;
import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.Offices;
import dev.freshet.control.catalog.Catalog;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's API tokens. A token reads {@code fst_<id>_<secret>}: a 12-hex-digit id (public: how it is listed and
 * revoked) and 32 random bytes (base64url). Only the secret's SHA-256 is kept, in the grid ({@code freshet.api-tokens},
 * id to JSON) and in every node's catalog ({@code token.<id>}), so a cluster started again has them back. A secret of
 * 256 random bits needs no slow hash: nobody can guess it from its SHA-256.
 */
@ApplicationScoped
public class ApiTokens {
    static final String MAP = "freshet.api-tokens";
    private static final String PREFIX = "token.";
    private static final Pattern TOKEN = Pattern.compile("fst_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._:/@-]{1,64}");
    static final long MAX_LIFETIME_MILLIS = 3650L * 24 * 3600 * 1000;

    @Inject
    HazelcastInstance hazelcast;
    @EJB
    Catalog catalog;
    @Inject
    GridSeal seal;

    private final Jsonb json = JsonbBuilder.create();
    private final SecureRandom random = new SecureRandom();
    private SealedMap tokens;
    /**
     * The newest change of each token this node has seen (from the grid, its catalog, or made here). The grid's
     * entries are sealed, but someone with access to the grid could put back an older sealed entry of a token, the
     * one from before its revocation: the newest this node saw wins over it.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, ApiToken> newest = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token just created: its record and the token itself, which is shown this once. */
    public record Created(ApiToken token, String secret) {
    }

    @PostConstruct
    void open() {
        tokens = new SealedMap(dev.freshet.control.grid.GridObjects.map(hazelcast, MAP), seal);
    }

    /**
     * A new token for {@code role}, optionally only for {@code offices} (publishing with policies within them) and
     * until {@code expiresAt} (epoch millis, 0: never).
     *
     * @throws InvalidRequestException a name, role, office or expiry that makes no sense (says which and why)
     */
    public Created create(String name, String role, List<String> offices, long expiresAt, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("'name' is required: 1 to 64 letters, digits, spaces or . _ : / @ -");
        }
        if (role == null || !dev.freshet.control.Roles.ALL.contains(role)) {
            throw new InvalidRequestException("'role' must be one of " + String.join(", ", dev.freshet.control.Roles.ALL));
        }
        List<String> scope = offices == null ? List.of() : offices;
        scope.forEach(Offices::requireValid);
        long now = System.currentTimeMillis();
        if (expiresAt != 0 && (expiresAt <= now || expiresAt > now + MAX_LIFETIME_MILLIS)) {
            throw new InvalidRequestException("'expiresAt' must be in the future and within ten years (or absent: never)");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken t = new ApiToken(id, name, role, scope, now, expiresAt, 0, createdBy, sha256(secretText), now);
        offer(t);
        keep(t);
        return new Created(t, "fst_" + id + "_" + secretText);
    }

    /** Every token (revoked and expired ones too, with when), oldest first. */
    public List<ApiToken> all() {
        List<ApiToken> out = new ArrayList<>();
        for (String text : tokens.values()) {
            parse(text).map(this::newer).ifPresent(out::add);
        }
        out.sort(java.util.Comparator.comparingLong(ApiToken::createdAt).thenComparing(ApiToken::id));
        return out;
    }

    public Optional<ApiToken> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Optional<ApiToken> held = tokens.get(id).flatMap(this::parse).filter(t -> t.id().equals(id)).map(this::newer);
        return held.isPresent() ? held : Optional.ofNullable(newest.get(id));
    }

    /** Revokes token {@code id} for good; answers it (empty: no such token). */
    public Optional<ApiToken> revoke(String id) {
        Optional<ApiToken> t = find(id);
        if (t.isEmpty()) {
            return t;
        }
        if (t.get().revoked()) {
            return t;
        }
        ApiToken r = t.get().revokedAt(System.currentTimeMillis());
        ApiToken kept = offer(r);
        keep(kept);
        return Optional.of(kept);
    }

    /** What a presented token is: valid (with its record), or why not. */
    public sealed interface Check permits Valid, Refused {
    }

    public record Valid(ApiToken token) implements Check {
    }

    public record Refused(String reason) implements Check {
    }

    /** Checks a presented token in constant time against the kept hash. */
    public Check check(String presented) {
        Matcher m = TOKEN.matcher(presented == null ? "" : presented.strip());
        if (!m.matches()) {
            return new Refused("not a Freshet API token (fst_<id>_<secret>)");
        }
        Optional<ApiToken> t;
        try {
            t = find(m.group(1));
        } catch (RuntimeException gridDown) {
            return new Refused("tokens cannot be checked now (the cluster directory does not answer)");
        }
        // compared even when unknown, so that the time taken does not tell whether an id exists
        byte[] given = sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII);
        byte[] kept = t.map(ApiToken::secretHash).orElse("0".repeat(64)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, kept) || t.isEmpty()) {
            return new Refused("unknown token (or not of this cluster)");
        }
        if (t.get().revoked()) {
            return new Refused("the token was revoked");
        }
        if (t.get().expired(System.currentTimeMillis())) {
            return new Refused("the token expired");
        }
        return new Valid(t.get());
    }

    /**
     * This node's copies and the grid's made the same (newer wins): at start and every few seconds, so that tokens
     * outlive a restart of the whole cluster and a revocation reaches every catalog.
     */
    public void reconcile() {
        catalog.settings(PREFIX).forEach((name, text) -> parse(text).ifPresent(this::offer));
        for (String text : tokens.values()) {
            parse(text).map(this::newer).ifPresent(this::keep);
        }
    }

    /** Keeps {@code t} unless the grid holds a newer change of it; answers what the grid holds after. */
    private ApiToken offer(ApiToken t) {
        ApiToken mine = newer(t);
        String text = json.toJson(mine);
        String held = tokens.offerNewest(t.id(), text, s -> parse(s).map(ApiToken::changedAt).orElse(Long.MIN_VALUE));
        return held.equals(text) ? mine : parse(held).map(this::newer).orElseThrow();
    }

    private void keep(ApiToken t) {
        String text = json.toJson(t);
        Optional<ApiToken> kept = catalog.setting(PREFIX + t.id()).flatMap(this::parse);
        if (kept.isEmpty() || kept.get().changedAt() < t.changedAt()) {
            catalog.setting(PREFIX + t.id(), text);
        }
    }

    /** {@code seen}, or the newer change of the same token this node saw before; remembered. */
    private ApiToken newer(ApiToken seen) {
        return newest.merge(seen.id(), seen, (a, b) -> a.changedAt() >= b.changedAt() ? a : b);
    }

    private Optional<ApiToken> parse(String text) {
        try {
            ApiToken t = json.fromJson(text, ApiToken.class);
            return t != null && t.id() != null && t.secretHash() != null ? Optional.of(t) : Optional.empty();
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

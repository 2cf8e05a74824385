package dev.freshet.control.grid;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every value Freshet keeps in the data grid, sealed by the cluster secret (issue 13). Hazelcast's open-source edition
 * lets anyone who reaches a member's cluster port and knows the cluster name read and write every map, so the
 * application protects its own entries: each is encrypted and authenticated with AES-256-GCM under a key derived from
 * the secret (HKDF-SHA256), and the map's name and the entry's key are the authenticated data, so that an entry cannot
 * be moved to another key or map either. Without the secret one can neither read an entry (private swarms' keys, who
 * holds what) nor write one that a node acts on: a node takes an entry that does not open for absent, and reports it
 * ({@link #refusals}).
 * <p>
 * Sealing is deterministic (the nonce is an HMAC of the authenticated data and the plaintext, as in SIV modes): the
 * same value under the same key gives the same text, so compare-and-set on the grid, "write only what changed" and
 * caches keyed by the text still work. Equal texts reveal equal values, nothing more.
 * <p>
 * Text: {@code fs1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>}; the key id (8 hex digits, derived from the
 * secret, not revealing it) says which of the accepted secrets sealed it, so that a new secret can be rolled through a
 * running cluster: every node accepts old and new, then seals with the new ({@link ClusterSecrets}).
 */
@ApplicationScoped
public class GridSeal {
    private static final System.Logger LOG = System.getLogger(GridSeal.class.getName());
    static final String PREFIX = "fs1.";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final long REPORT_EVERY_NANOS = 60_000_000_000L;

    @Inject
    ClusterSecrets secrets;

    private final AtomicReference<Keys> keys = new AtomicReference<>();
    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();
    private final AtomicLong refusedTotal = new AtomicLong();

    /** One secret's keys: {@code id} names it in sealed texts. */
    record Key(String id, SecretKeySpec cipher, SecretKeySpec nonce) {
    }

    /** The key that seals, and every key that opens (the sealing one first). */
    record Keys(Key sealing, List<Key> accepted) {
        Optional<Key> byId(String id) {
            return accepted.stream().filter(k -> k.id().equals(id)).findFirst();
        }
    }

    /** Entries of one map refused since the node started: how many, the last one's key, why, when. */
    public record Refusal(String space, long count, String lastKey, String reason, long lastAt) {
    }

    /** A seal outside a container (tests, tools): {@code sealing} seals, it and {@code alsoAccepted} open. */
    public static GridSeal of(String sealing, String... alsoAccepted) {
        GridSeal s = new GridSeal();
        List<String> all = new ArrayList<>(List.of(sealing));
        all.addAll(List.of(alsoAccepted));
        s.use(all);
        return s;
    }

    @PostConstruct
    void open() {
        use(secrets.current());
        secrets.onChange(this::use);
    }

    /** Takes {@code secrets} (the first seals; all open), checked by {@link ClusterSecrets#requireStrong}. */
    void use(List<String> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no cluster secret");
        }
        List<Key> derived = new ArrayList<>();
        for (String secret : list) {
            Key k = derive(ClusterSecrets.requireStrong(secret));
            if (derived.stream().noneMatch(d -> d.id().equals(k.id()))) {
                derived.add(k);
            }
        }
        Keys next = new Keys(derived.get(0), List.copyOf(derived));
        Keys before = keys.getAndSet(next);
        if (before != null && !before.equals(next)) {
            LOG.log(System.Logger.Level.INFO, "Freshet seals grid entries with key {0} now and accepts {1}",
                    next.sealing().id(), next.accepted().stream().map(Key::id).toList());
        }
    }

    /** The id of the key that seals now (shown to operators: which secret a node uses, without the secret). */
    public String sealingKeyId() {
        return keys.get().sealing().id();
    }

    /** The ids of every key this node opens entries with. */
    public List<String> acceptedKeyIds() {
        return keys.get().accepted().stream().map(Key::id).toList();
    }

    /** {@code plain}, the value under {@code key} in map (or topic) {@code space}, sealed for the grid. */
    public String seal(String space, String key, String plain) {
        Key k = keys.get().sealing();
        byte[] aad = aad(space, key);
        byte[] text = plain.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(k.nonce());
            mac.update(aad);
            mac.update((byte) 0);
            byte[] nonce = Arrays.copyOf(mac.doFinal(text), NONCE);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k.cipher(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(text);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + k.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot seal with AES-GCM", e);
        }
    }

    /**
     * The value a sealed text holds, if it opens with one of the accepted keys under this {@code space} and
     * {@code key}; empty for {@code null} (absent), and empty and reported for anything else.
     */
    public Optional<String> open(String space, String key, String sealed) {
        if (sealed == null) {
            return Optional.empty();
        }
        String refusal;
        if (!sealed.startsWith(PREFIX) || sealed.length() < PREFIX.length() + 9 || sealed.charAt(PREFIX.length() + 8) != '.') {
            refusal = "not sealed with a cluster secret";
        } else {
            String id = sealed.substring(PREFIX.length(), PREFIX.length() + 8);
            Optional<Key> k = keys.get().byId(id);
            if (k.isEmpty()) {
                refusal = "sealed with a secret this node does not hold (key " + printable(id) + ")";
            } else {
                try {
                    return Optional.of(decrypt(k.get(), aad(space, key), sealed.substring(PREFIX.length() + 9)));
                } catch (AEADBadTagException | IllegalArgumentException e) {
                    refusal = "does not verify (changed, or moved from another key)";
                }
            }
        }
        refuse(space, key, refusal);
        return Optional.empty();
    }

    /** Whether {@code sealed} was sealed with the key that seals now (a roll re-seals the others). */
    public boolean sealedNow(String sealed) {
        return sealed != null && sealed.startsWith(PREFIX + keys.get().sealing().id() + ".");
    }

    private static String decrypt(Key k, byte[] aad, String body) throws AEADBadTagException {
        byte[] raw = Base64.getUrlDecoder().decode(body);
        if (raw.length < NONCE + TAG_BITS / 8) {
            throw new IllegalArgumentException("too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k.cipher(), new GCMParameterSpec(TAG_BITS, raw, 0, NONCE));
            c.updateAAD(aad);
            byte[] plain = c.doFinal(raw, NONCE, raw.length - NONCE);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void refuse(String space, String key, String reason) {
        refusedTotal.incrementAndGet();
        long now = System.currentTimeMillis();
        String shownKey = printable(key);
        Refusal before = refused.get(space);
        Refusal r = refused.merge(space, new Refusal(space, 1, shownKey, reason, now),
                (old, one) -> new Refusal(space, old.count() + 1, shownKey, reason, now));
        if (before == null || System.nanoTime() - reported.getOrDefault(space, 0L) > REPORT_EVERY_NANOS) {
            reported.put(space, System.nanoTime());
            LOG.log(System.Logger.Level.WARNING, "Freshet ignores grid entries it cannot trust: {0} so far in {1}, "
                    + "the last under \"{2}\": {3}. A member or client without this cluster''s secret wrote them, or "
                    + "this node was given another secret than the others (its key: {4})", r.count(), space, shownKey,
                    reason, sealingKeyId());
        }
    }

    private final Map<String, Long> reported = new ConcurrentHashMap<>();
    /** The maps sealed by this seal, by name (the last opened of each name). */
    private final Map<String, SealedMap> maps = new ConcurrentHashMap<>();

    void register(SealedMap map) {
        maps.put(map.name(), map);
    }

    /**
     * While more than one secret is accepted (a roll): every entry sealed under another key than the sealing one is
     * sealed again, so that the old secret can then be dropped. Answers how many entries were sealed again.
     */
    public int resealAll() {
        if (keys.get().accepted().size() < 2) {
            return 0;
        }
        int n = 0;
        for (SealedMap m : maps.values()) {
            n += m.reseal();
        }
        if (n > 0) {
            LOG.log(System.Logger.Level.INFO, "Freshet sealed {0} grid entries again with key {1}", n, sealingKeyId());
        }
        return n;
    }

    /** Entries refused since start, by map. */
    public List<Refusal> refusals() {
        return refused.values().stream().sorted(java.util.Comparator.comparing(Refusal::space)).toList();
    }

    public long refusedTotal() {
        return refusedTotal.get();
    }

    private static String printable(String s) {
        String t = s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static byte[] aad(String space, String key) {
        return (space + "\n" + key).getBytes(StandardCharsets.UTF_8);
    }

    /** HKDF-SHA256 (RFC 5869) of the secret: a key to encrypt, a key to make nonces, an id. */
    static Key derive(String secret) {
        byte[] prk = hmac("freshet cluster secret v1".getBytes(StandardCharsets.US_ASCII),
                secret.getBytes(StandardCharsets.UTF_8));
        byte[] cipher = expand(prk, "seal");
        byte[] nonce = expand(prk, "nonce");
        String id = HexFormat.of().formatHex(expand(prk, "key id"), 0, 4);
        return new Key(id, new SecretKeySpec(cipher, "AES"), new SecretKeySpec(nonce, "HmacSHA256"));
    }

    private static byte[] expand(byte[] prk, String info) {
        byte[] in = (info + "\u0001").getBytes(StandardCharsets.US_ASCII);
        return hmac(prk, in);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.freshet.control.directory;

import dev.freshet.engine.metainfo.Metainfo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The key of a private swarm (BEP 27). Its {@code .torrent} and magnet link carry it in every tracker URL
 * ({@code http://node/announce?auth=<key>}); a node's tracker answers announces for the swarm only with it.
 * Whoever holds the {@code .torrent} (or the magnet link) is authorised, as with a private tracker's passkey.
 */
public final class AnnounceKey {
    /** The query parameter; clients append their own parameters after it with '&'. */
    public static final String PARAMETER = "auth";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AnnounceKey() {
    }

    /** 128 random bits, hex. */
    public static String generate() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String addTo(String announceUrl, String key) {
        return announceUrl + (announceUrl.contains("?") ? "&" : "?") + PARAMETER + "=" + key;
    }

    /** The key in a torrent's tracker URLs, if any carries one. */
    public static Optional<String> of(Metainfo m) {
        return m.trackerTiers().stream().flatMap(List::stream).map(AnnounceKey::inUrl)
                .flatMap(Optional::stream).findFirst();
    }

    static Optional<String> inUrl(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.startsWith(PARAMETER + "=") && pair.length() > PARAMETER.length() + 1) {
                return Optional.of(pair.substring(PARAMETER.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** The URL without its query: the tracker it names. */
    public static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** Constant-time comparison; a missing key never matches. */
    public static boolean matches(String expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}

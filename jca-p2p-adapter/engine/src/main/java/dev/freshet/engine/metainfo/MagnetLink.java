package dev.freshet.engine.metainfo;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A magnet link in the form BEP 9 describes:
 * {@code magnet:?xt=urn:btih:<info-hash>&dn=<name>&tr=<tracker>&x.pe=<host:port>}. The info-hash is
 * read as 40 hex digits or 32 base32 characters and always written as hex.
 */
public record MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers, List<String> peers) {
    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";

    public MagnetLink {
        java.util.Objects.requireNonNull(infoHash, "infoHash");
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
    }

    public static MagnetLink parse(String uri) {
        if (uri == null || !uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new MetainfoException("a magnet link starts with 'magnet:?'");
        }
        InfoHash hash = null;
        String name = null;
        List<String> trackers = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (String param : uri.substring(PREFIX.length()).split("&")) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = param.substring(0, eq);
            String value;
            try {
                value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MetainfoException("magnet link parameter '" + key + "' is not properly percent-encoded");
            }
            switch (key) {
                case "xt" -> {
                    if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                        if (hash != null) {
                            throw new MetainfoException("magnet link names more than one btih info-hash");
                        }
                        hash = parseHash(value.substring(BTIH.length()));
                    }
                }
                case "dn" -> name = value;
                case "tr" -> trackers.add(value);
                case "x.pe" -> peers.add(value);
                default -> {
                    // other parameters (xl, ws, so, ...) are not needed to join a swarm
                }
            }
        }
        if (hash == null) {
            throw new MetainfoException("magnet link has no 'xt=urn:btih:' info-hash");
        }
        return new MagnetLink(hash, Optional.ofNullable(name), trackers, peers);
    }

    private static InfoHash parseHash(String text) {
        if (text.length() == 40) {
            try {
                return InfoHash.fromHex(text);
            } catch (IllegalArgumentException e) {
                throw new MetainfoException("magnet info-hash is not 40 hex digits: " + text);
            }
        }
        if (text.length() == 32) {
            return InfoHash.of(base32(text.toUpperCase(Locale.ROOT)));
        }
        throw new MetainfoException("magnet info-hash must be 40 hex digits or 32 base32 characters, got " + text.length());
    }

    private static byte[] base32(String s) {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int o = 0;
        for (char c : s.toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new MetainfoException("magnet info-hash has an invalid base32 character '" + c + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
        displayName.ifPresent(n -> b.append("&dn=").append(encode(n)));
        trackers.forEach(t -> b.append("&tr=").append(encode(t)));
        peers.forEach(p -> b.append("&x.pe=").append(encode(p)));
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The {@code x.pe} peers as socket addresses ({@code host:port}, {@code [v6]:port}); malformed ones are skipped. */
    public java.util.List<java.net.InetSocketAddress> peerAddresses() {
        java.util.List<java.net.InetSocketAddress> out = new ArrayList<>();
        for (String p : peers) {
            int colon = p.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host = p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                out.add(new java.net.InetSocketAddress(host, Integer.parseInt(p.substring(colon + 1))));
            } catch (IllegalArgumentException malformed) {
                // skipped, as clients do
            }
        }
        return out;
    }
}

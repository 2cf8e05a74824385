package dev.freshet.web.tracker;

import dev.freshet.control.tracker.TrackerRefusal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tracker query string: its values are percent-encoded bytes (an info-hash is 20 raw bytes), so it is
 * decoded here byte by byte rather than as UTF-8 text by the container.
 */
final class TrackerQuery {
    private TrackerQuery() {
    }

    static Map<String, List<byte[]>> parse(String query, int maxLength) {
        if (query == null || query.isEmpty()) {
            throw new TrackerRefusal("no parameters: an announce needs info_hash, peer_id, port and left");
        }
        if (query.length() > maxLength) {
            throw new TrackerRefusal("the query is longer than " + maxLength + " characters");
        }
        Map<String, List<byte[]>> out = new HashMap<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = new String(decode(eq < 0 ? part : part.substring(0, eq)), StandardCharsets.ISO_8859_1);
            byte[] value = eq < 0 ? new byte[0] : decode(part.substring(eq + 1));
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    static byte[] decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new TrackerRefusal("a truncated %-escape in the query");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new TrackerRefusal("a malformed %-escape in the query");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c > 0x7f) {
                throw new TrackerRefusal("a character outside ASCII in the query");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    static byte[] bytes(Map<String, List<byte[]>> q, String key, int length) {
        List<byte[]> v = q.get(key);
        if (v == null || v.size() != 1 || v.get(0).length != length) {
            throw new TrackerRefusal(key + " must be given once, " + length + " bytes long");
        }
        return v.get(0);
    }

    static Optional<String> text(Map<String, List<byte[]>> q, String key) {
        List<byte[]> v = q.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(new String(v.get(0), StandardCharsets.ISO_8859_1));
    }

    static long number(Map<String, List<byte[]>> q, String key, long fallback) {
        Optional<String> t = text(q, key);
        if (t.isEmpty()) {
            if (fallback < 0) {
                throw new TrackerRefusal(key + " is missing");
            }
            return fallback;
        }
        try {
            return Long.parseLong(t.get());
        } catch (NumberFormatException e) {
            throw new TrackerRefusal(key + " must be a number, not '" + t.get() + "'");
        }
    }
}

package dev.freshet.engine.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Entry points: decode a whole buffer strictly, encode a value canonically. */
public final class Bencode {
    /** Nesting deeper than this is refused; real metainfo and extension messages need fewer than 10. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private Bencode() {
    }

    /** Decodes exactly one value filling the whole input. */
    public static BValue decode(byte[] input) {
        return decode(input, 0, input.length);
    }

    public static BValue decode(byte[] input, int offset, int length) {
        BencodeReader reader = new BencodeReader(input, offset, length, DEFAULT_MAX_DEPTH, null);
        BValue value = reader.readValue();
        reader.expectEnd();
        return value;
    }

    /** One value decoded from the start of an input that may go on (BEP 9 data: a dictionary, then raw bytes). */
    public record Prefix(BValue value, int length) {
    }

    /** Decodes the value at the start of {@code input}; what follows it is left to the caller. */
    public static Prefix decodePrefix(byte[] input) {
        BencodeReader reader = new BencodeReader(input, 0, input.length, DEFAULT_MAX_DEPTH, null);
        BValue value = reader.readValue();
        return new Prefix(value, reader.position());
    }

    /**
     * Decodes one value and also returns the exact bytes of the value under {@code topLevelKey} in the
     * root dictionary, as they appear in the input (the info-hash is computed over those bytes).
     */
    public static Captured decodeCapturing(byte[] input, String topLevelKey) {
        BencodeReader reader = new BencodeReader(input, 0, input.length, DEFAULT_MAX_DEPTH, topLevelKey);
        BValue value = reader.readValue();
        reader.expectEnd();
        return new Captured(value, reader.captured());
    }

    /** A decoded value plus the raw bytes of one of its top-level entries, when present. */
    public record Captured(BValue value, Optional<byte[]> raw) {
    }

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(value, out);
        return out.toByteArray();
    }

    /**
     * Encodes a dictionary in which the value of {@code rawKey} is given as already-encoded bytes, which
     * are written unchanged (used to keep a torrent's {@code info} bytes, and so its info-hash, intact).
     */
    public static byte[] encodeWithRaw(BValue.BDictionary dictionary, String rawKey, byte[] rawValue) {
        java.util.TreeMap<String, Object> all = new java.util.TreeMap<>(dictionary.entries());
        all.put(rawKey, rawValue);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('d');
        for (Map.Entry<String, Object> e : all.entrySet()) {
            writeString(e.getKey().getBytes(StandardCharsets.ISO_8859_1), out);
            if (e.getValue() instanceof byte[] raw) {
                out.writeBytes(raw);
            } else {
                encode((BValue) e.getValue(), out);
            }
        }
        out.write('e');
        return out.toByteArray();
    }

    private static void encode(BValue value, ByteArrayOutputStream out) {
        if (value instanceof BValue.BString s) {
            writeString(s.bytes(), out);
        } else if (value instanceof BValue.BInteger i) {
            out.write('i');
            out.writeBytes(Long.toString(i.value()).getBytes(StandardCharsets.US_ASCII));
            out.write('e');
        } else if (value instanceof BValue.BList l) {
            out.write('l');
            for (BValue v : l.values()) {
                encode(v, out);
            }
            out.write('e');
        } else if (value instanceof BValue.BDictionary d) {
            out.write('d');
            for (Map.Entry<String, BValue> e : d.entries().entrySet()) {
                writeString(e.getKey().getBytes(StandardCharsets.ISO_8859_1), out);
                encode(e.getValue(), out);
            }
            out.write('e');
        }
    }

    private static void writeString(byte[] bytes, ByteArrayOutputStream out) {
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
    }
}

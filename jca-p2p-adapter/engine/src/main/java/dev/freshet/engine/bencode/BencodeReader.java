package dev.freshet.engine.bencode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A strict, bounded, recursive-descent bencode decoder over a byte array. Not thread-safe; one
 * instance decodes one input.
 */
final class BencodeReader {
    private final byte[] in;
    private final int end;
    private final int maxDepth;
    private final String captureKey;
    private int pos;
    private int depth;
    private byte[] captured;

    BencodeReader(byte[] in, int offset, int length, int maxDepth, String captureKey) {
        if (offset < 0 || length < 0 || offset + length > in.length) {
            throw new IllegalArgumentException("range outside the input");
        }
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.maxDepth = maxDepth;
        this.captureKey = captureKey;
    }

    Optional<byte[]> captured() {
        return Optional.ofNullable(captured);
    }

    int position() {
        return pos;
    }

    void expectEnd() {
        if (pos != end) {
            throw new BencodeException("unexpected data after the root value", pos);
        }
    }

    BValue readValue() {
        if (pos >= end) {
            throw new BencodeException("unexpected end of input, a value was expected", pos);
        }
        byte b = in[pos];
        if (b == 'i') {
            return new BValue.BInteger(readInteger());
        } else if (b == 'l') {
            return readList();
        } else if (b == 'd') {
            return readDictionary();
        } else if (b >= '0' && b <= '9') {
            return new BValue.BString(readStringBytes());
        }
        throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b & 0xff) + ", a value was expected", pos);
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw new BencodeException("nesting deeper than " + maxDepth, pos);
        }
    }

    private BValue.BList readList() {
        enter();
        pos++; // 'l'
        List<BValue> values = new ArrayList<>();
        while (true) {
            if (pos >= end) {
                throw new BencodeException("unterminated list", pos);
            }
            if (in[pos] == 'e') {
                pos++;
                depth--;
                return new BValue.BList(values);
            }
            values.add(readValue());
        }
    }

    private BValue.BDictionary readDictionary() {
        enter();
        pos++; // 'd'
        TreeMap<String, BValue> entries = new TreeMap<>();
        String previous = null;
        while (true) {
            if (pos >= end) {
                throw new BencodeException("unterminated dictionary", pos);
            }
            if (in[pos] == 'e') {
                pos++;
                depth--;
                return new BValue.BDictionary(entries);
            }
            int keyStart = pos;
            if (in[pos] < '0' || in[pos] > '9') {
                throw new BencodeException("dictionary key must be a byte string", pos);
            }
            String key = new String(readStringBytes(), StandardCharsets.ISO_8859_1);
            if (previous != null) {
                int cmp = key.compareTo(previous);
                if (cmp == 0) {
                    throw new BencodeException("duplicate dictionary key '" + key + "'", keyStart);
                }
                if (cmp < 0) {
                    throw new BencodeException("dictionary keys not sorted: '" + key + "' after '" + previous + "'", keyStart);
                }
            }
            previous = key;
            int valueStart = pos;
            BValue value = readValue();
            if (depth == 1 && captureKey != null && captureKey.equals(key)) {
                captured = java.util.Arrays.copyOfRange(in, valueStart, pos);
            }
            entries.put(key, value);
        }
    }

    private long readInteger() {
        int start = pos;
        pos++; // 'i'
        boolean negative = false;
        if (pos < end && in[pos] == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        long value = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            int digit = in[pos] - '0';
            // accumulate negatively so that Long.MIN_VALUE fits
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw new BencodeException("integer out of 64-bit range", start);
            }
            value = value * 10 - digit;
            pos++;
        }
        int digits = pos - digitsStart;
        if (pos >= end) {
            throw new BencodeException("unterminated integer", pos);
        }
        if (in[pos] != 'e') {
            throw new BencodeException("unexpected byte 0x" + Integer.toHexString(in[pos] & 0xff) + " in integer", pos);
        }
        if (digits == 0) {
            throw new BencodeException("integer without digits", start);
        }
        if (digits > 1 && in[digitsStart] == '0') {
            throw new BencodeException("integer with a leading zero", start);
        }
        if (negative && value == 0) {
            throw new BencodeException("negative zero integer", start);
        }
        if (!negative && value == Long.MIN_VALUE) {
            throw new BencodeException("integer out of 64-bit range", start);
        }
        pos++; // 'e'
        return negative ? value : -value;
    }

    private byte[] readStringBytes() {
        int start = pos;
        long length = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            length = length * 10 + (in[pos] - '0');
            if (length > Integer.MAX_VALUE) {
                throw new BencodeException("string length too large", start);
            }
            pos++;
        }
        if (pos >= end || in[pos] != ':') {
            throw new BencodeException("string length not followed by ':'", pos);
        }
        if (pos - start > 1 && in[start] == '0') {
            throw new BencodeException("string length with a leading zero", start);
        }
        pos++; // ':'
        if (length > end - pos) {
            throw new BencodeException("string of " + length + " bytes runs past the end of the input ("
                    + (end - pos) + " bytes left)", start);
        }
        byte[] bytes = java.util.Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        return bytes;
    }
}

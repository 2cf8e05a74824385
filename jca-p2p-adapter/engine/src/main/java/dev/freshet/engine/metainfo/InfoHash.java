package dev.freshet.engine.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The 20-byte SHA-1 of a torrent's bencoded {@code info} dictionary (BEP 3). Immutable value. */
public final class InfoHash implements Comparable<InfoHash> {
    public static final int LENGTH = 20;
    private final byte[] bytes;
    /**
     * {@link #hex()}, made once: control-plane rounds key maps by it thousands of times a second, and a new string each
     * time also hashed its 40 characters again for every lookup (a benign race: two threads may both make it).
     */
    private String hex;

    private InfoHash(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an info-hash has 20 bytes, not " + bytes.length);
        }
        this.bytes = bytes;
    }

    public static InfoHash of(byte[] bytes) {
        return new InfoHash(bytes.clone());
    }

    /** Parses 40 hexadecimal digits (either case). */
    public static InfoHash fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an info-hash is 40 hexadecimal digits");
        }
        try {
            return new InfoHash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an info-hash is 40 hexadecimal digits: " + hex, e);
        }
    }

    /** The info-hash of the given raw bencoded {@code info} bytes. */
    public static InfoHash ofInfoBytes(byte[] rawInfo) {
        try {
            return new InfoHash(MessageDigest.getInstance("SHA-1").digest(rawInfo));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        String h = hex;
        if (h == null) {
            h = HexFormat.of().formatHex(bytes);
            hex = h;
        }
        return h;
    }

    public boolean matches(byte[] other, int offset) {
        return Arrays.equals(bytes, 0, LENGTH, other, offset, offset + LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(InfoHash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}

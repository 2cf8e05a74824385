package dev.freshet.engine.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A 20-byte peer id. Ours are Azureus-style, {@code -FR0001-} followed by 12 random bytes; others'
 * are treated as 20 opaque bytes.
 */
public final class PeerId implements Comparable<PeerId> {
    public static final int LENGTH = 20;
    private static final byte[] PREFIX = "-FR0001-".getBytes(StandardCharsets.US_ASCII);
    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id has 20 bytes, not " + bytes.length);
        }
        this.bytes = bytes;
    }

    public static PeerId of(byte[] bytes) {
        return new PeerId(bytes.clone());
    }

    public static PeerId generate(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        System.arraycopy(PREFIX, 0, b, 0, PREFIX.length);
        for (int i = PREFIX.length; i < LENGTH; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return new PeerId(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Byte by byte, unsigned: the same order on every node (it settles which of two twin connections stays). */
    @Override
    public int compareTo(PeerId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** A short readable form: the printable client prefix, when there is one, then hex. */
    @Override
    public String toString() {
        int printable = 0;
        while (printable < 8 && bytes[printable] >= 0x20 && bytes[printable] < 0x7f) {
            printable++;
        }
        return new String(bytes, 0, printable, StandardCharsets.US_ASCII)
                + HexFormat.of().formatHex(bytes, printable, LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}

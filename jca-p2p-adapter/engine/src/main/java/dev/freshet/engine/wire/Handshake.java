package dev.freshet.engine.wire;

import dev.freshet.engine.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The BEP 3 handshake: {@code <pstrlen=19><pstr="BitTorrent protocol"><reserved 8><info_hash 20><peer_id 20>}.
 * Reserved bits: byte 5 {@code 0x10} extension protocol (BEP 10), byte 7 {@code 0x04} fast extension (BEP 6).
 */
public record Handshake(byte[] reserved, InfoHash infoHash, PeerId peerId) {
    public static final int LENGTH = 68;
    private static final byte[] PSTR = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    public Handshake {
        if (reserved.length != 8) {
            throw new IllegalArgumentException("reserved is 8 bytes");
        }
        reserved = reserved.clone();
        java.util.Objects.requireNonNull(infoHash, "infoHash");
        java.util.Objects.requireNonNull(peerId, "peerId");
    }

    /** Our handshake: we implement the extension protocol and the fast extension, nothing else. */
    public static Handshake ours(InfoHash infoHash, PeerId peerId) {
        byte[] reserved = new byte[8];
        reserved[5] |= 0x10;
        reserved[7] |= 0x04;
        return new Handshake(reserved, infoHash, peerId);
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    public boolean supportsExtensionProtocol() {
        return (reserved[5] & 0x10) != 0;
    }

    public boolean supportsFastExtension() {
        return (reserved[7] & 0x04) != 0;
    }

    public void encode(ByteBuffer out) {
        out.put((byte) 19).put(PSTR).put(reserved).put(infoHash.bytes()).put(peerId.bytes());
    }

    /**
     * Reads the first 48 bytes (through the info-hash) when they are there, so that a receiver can find
     * the swarm before the peer id arrives. Throws at once on a wrong protocol string.
     */
    public static boolean checkPrefix(ByteBuffer in) {
        int available = in.remaining();
        int p = in.position();
        if (available >= 1 && in.get(p) != 19) {
            throw new ProtocolException("not a BitTorrent handshake (first byte " + (in.get(p) & 0xff)
                    + "; an encrypted connection is not supported)");
        }
        for (int i = 0; i < PSTR.length && 1 + i < available; i++) {
            if (in.get(p + 1 + i) != PSTR[i]) {
                throw new ProtocolException("not a BitTorrent handshake (wrong protocol string)");
            }
        }
        return available >= 48;
    }

    /** Decodes a full handshake from {@code in} if 68 bytes are available; else returns null and consumes nothing. */
    public static Handshake decode(ByteBuffer in) {
        if (!checkPrefix(in) || in.remaining() < LENGTH) {
            return null;
        }
        in.position(in.position() + 20);
        byte[] reserved = new byte[8];
        in.get(reserved);
        byte[] hash = new byte[20];
        in.get(hash);
        byte[] id = new byte[20];
        in.get(id);
        return new Handshake(reserved, InfoHash.of(hash), PeerId.of(id));
    }

    /** The info-hash of a handshake whose first 48 bytes are in {@code in} (does not consume). */
    public static InfoHash peekInfoHash(ByteBuffer in) {
        byte[] hash = new byte[20];
        in.get(in.position() + 28, hash);
        return InfoHash.of(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash)
                && peerId.equals(h.peerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + peerId.hashCode();
    }
}

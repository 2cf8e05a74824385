package dev.freshet.engine.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A peer wire message after the handshake. Every message is {@code <length prefix 4><id 1><payload>}
 * except keep-alive, which is a zero length prefix. Constructors check what a value alone can check;
 * what needs the torrent (piece counts, block bounds) is checked by the connection.
 */
public sealed interface Message {

    /** Largest block a peer may request or send: 16 KiB, what every client uses. */
    int MAX_BLOCK = 16 * 1024;

    // BEP 3 - core protocol
    byte CHOKE = 0;
    byte UNCHOKE = 1;
    byte INTERESTED = 2;
    byte NOT_INTERESTED = 3;
    byte HAVE = 4;
    byte BITFIELD = 5;
    byte REQUEST = 6;
    byte PIECE = 7;
    byte CANCEL = 8;
    // BEP 5 - DHT (accepted and ignored: we run no DHT)
    byte PORT = 9;
    // BEP 6 - fast extension
    byte SUGGEST_PIECE = 0x0D;
    byte HAVE_ALL = 0x0E;
    byte HAVE_NONE = 0x0F;
    byte REJECT_REQUEST = 0x10;
    byte ALLOWED_FAST = 0x11;
    // BEP 10 - extension protocol
    byte EXTENDED = 20;

    /** keep-alive: {@code <len=0000>} */
    record KeepAlive() implements Message {
    }

    /** choke: {@code <len=0001><id=0>} */
    record Choke() implements Message {
    }

    /** unchoke: {@code <len=0001><id=1>} */
    record Unchoke() implements Message {
    }

    /** interested: {@code <len=0001><id=2>} */
    record Interested() implements Message {
    }

    /** not interested: {@code <len=0001><id=3>} */
    record NotInterested() implements Message {
    }

    /** have: {@code <len=0005><id=4><piece index>} */
    record Have(int piece) implements Message {
        public Have {
            requireIndex(piece);
        }
    }

    /** bitfield: {@code <len=0001+X><id=5><bitfield>}, high bit first, spare bits zero. */
    record Bitfield(byte[] bits) implements Message {
        public Bitfield {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        /** The pieces set, after checking the length is ceil(pieces/8) and spare bits are zero. */
        public java.util.BitSet toBitSet(int pieceCount) {
            int expected = (pieceCount + 7) / 8;
            if (bits.length != expected) {
                throw new ProtocolException("bitfield of " + bits.length + " bytes; " + pieceCount + " pieces need " + expected);
            }
            java.util.BitSet set = new java.util.BitSet(pieceCount);
            for (int i = 0; i < bits.length; i++) {
                int b = bits[i] & 0xff;
                for (int j = 0; j < 8 && b != 0; j++) {
                    if ((b & (0x80 >>> j)) != 0) {
                        int piece = i * 8 + j;
                        if (piece >= pieceCount) {
                            throw new ProtocolException("bitfield has spare bits set");
                        }
                        set.set(piece);
                    }
                }
            }
            return set;
        }

        public static Bitfield of(java.util.BitSet pieces, int pieceCount) {
            byte[] b = new byte[(pieceCount + 7) / 8];
            for (int p = pieces.nextSetBit(0); p >= 0 && p < pieceCount; p = pieces.nextSetBit(p + 1)) {
                b[p >>> 3] |= (byte) (0x80 >>> (p & 7));
            }
            return new Bitfield(b);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }

    /** request: {@code <len=0013><id=6><index><begin><length>}; length 1..16 KiB. */
    record Request(int piece, int begin, int length) implements Message {
        public Request {
            requireBlock(piece, begin, length);
        }
    }

    /**
     * piece: {@code <len=0009+X><id=7><index><begin><block>}. {@code block} is a read-only view that is
     * valid only until the codec's buffer is reused: consume it before decoding the next message.
     */
    record Piece(int piece, int begin, ByteBuffer block) implements Message {
        public Piece {
            requireBlock(piece, begin, block.remaining());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && p.piece == piece && p.begin == begin && p.block.equals(block);
        }

        @Override
        public int hashCode() {
            return piece * 31 + begin;
        }
    }

    /** cancel: {@code <len=0013><id=8><index><begin><length>} */
    record Cancel(int piece, int begin, int length) implements Message {
        public Cancel {
            requireBlock(piece, begin, length);
        }
    }

    /** port (BEP 5): {@code <len=0003><id=9><listen-port>} */
    record Port(int port) implements Message {
        public Port {
            if (port < 0 || port > 0xffff) {
                throw new ProtocolException("port " + port + " out of range");
            }
        }
    }

    /** suggest piece (BEP 6): {@code <len=0005><id=0x0D><piece index>} */
    record SuggestPiece(int piece) implements Message {
        public SuggestPiece {
            requireIndex(piece);
        }
    }

    /** have all (BEP 6): {@code <len=0001><id=0x0E>} */
    record HaveAll() implements Message {
    }

    /** have none (BEP 6): {@code <len=0001><id=0x0F>} */
    record HaveNone() implements Message {
    }

    /** reject request (BEP 6): {@code <len=0013><id=0x10><index><begin><length>} */
    record RejectRequest(int piece, int begin, int length) implements Message {
        public RejectRequest {
            requireBlock(piece, begin, length);
        }
    }

    /** allowed fast (BEP 6): {@code <len=0005><id=0x11><piece index>} */
    record AllowedFast(int piece) implements Message {
        public AllowedFast {
            requireIndex(piece);
        }
    }

    /** extended (BEP 10): {@code <len=0002+X><id=20><extended id><payload>}; extended id 0 is the handshake. */
    record Extended(int extendedId, byte[] payload) implements Message {
        public Extended {
            if (extendedId < 0 || extendedId > 255) {
                throw new ProtocolException("extended message id " + extendedId + " out of range");
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && e.extendedId == extendedId && Arrays.equals(e.payload, payload);
        }

        @Override
        public int hashCode() {
            return extendedId * 31 + Arrays.hashCode(payload);
        }
    }

    private static void requireIndex(int piece) {
        if (piece < 0) {
            throw new ProtocolException("negative piece index " + (piece & 0xffffffffL));
        }
    }

    private static void requireBlock(int piece, int begin, int length) {
        requireIndex(piece);
        if (begin < 0) {
            throw new ProtocolException("negative block offset");
        }
        if (length <= 0 || length > MAX_BLOCK) {
            throw new ProtocolException("block length " + length + " outside 1.." + MAX_BLOCK);
        }
    }
}

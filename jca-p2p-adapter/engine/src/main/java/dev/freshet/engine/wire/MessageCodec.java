package dev.freshet.engine.wire;

import java.nio.ByteBuffer;

/**
 * Decodes and encodes peer wire messages. Decoding is incremental: {@link #decode(ByteBuffer)} returns
 * null while a message is incomplete and leaves the buffer untouched, so the caller reads more and
 * calls again. A declared length above {@code maxMessageLength}, or one that does not fit its message
 * id, is a {@link ProtocolException} before any payload is read. Stateless and thread-safe.
 */
public final class MessageCodec {
    /** Default bound: a 16 KiB block plus header, a bitfield of two million pieces, or a BEP 9 metadata piece. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 256 * 1024 + 64;

    private final int maxMessageLength;

    public MessageCodec(int maxMessageLength) {
        this.maxMessageLength = maxMessageLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    /**
     * The length (prefix included) of the next message in {@code in} if its prefix is there, else -1.
     * Checks the bound, so a caller can size its buffer before the payload arrives.
     */
    public int peekFrameLength(ByteBuffer in) {
        if (in.remaining() < 4) {
            return -1;
        }
        int length = in.getInt(in.position());
        if (length < 0 || length > maxMessageLength) {
            throw new ProtocolException("message length " + (length & 0xffffffffL) + " exceeds the limit of " + maxMessageLength);
        }
        return length + 4;
    }

    /** The next whole message in {@code in}, consuming it; or null (nothing consumed) when it is not all there yet. */
    public Message decode(ByteBuffer in) {
        int frame = peekFrameLength(in);
        if (frame < 0 || in.remaining() < frame) {
            return null;
        }
        int start = in.position();
        int length = frame - 4;
        in.position(start + 4);
        if (length == 0) {
            return new Message.KeepAlive();
        }
        byte id = in.get();
        int payload = length - 1;
        Message m;
        switch (id) {
            case Message.CHOKE -> m = fixed(payload, 0, id, new Message.Choke());
            case Message.UNCHOKE -> m = fixed(payload, 0, id, new Message.Unchoke());
            case Message.INTERESTED -> m = fixed(payload, 0, id, new Message.Interested());
            case Message.NOT_INTERESTED -> m = fixed(payload, 0, id, new Message.NotInterested());
            case Message.HAVE_ALL -> m = fixed(payload, 0, id, new Message.HaveAll());
            case Message.HAVE_NONE -> m = fixed(payload, 0, id, new Message.HaveNone());
            case Message.HAVE -> {
                expect(payload, 4, id);
                m = new Message.Have(in.getInt());
            }
            case Message.SUGGEST_PIECE -> {
                expect(payload, 4, id);
                m = new Message.SuggestPiece(in.getInt());
            }
            case Message.ALLOWED_FAST -> {
                expect(payload, 4, id);
                m = new Message.AllowedFast(in.getInt());
            }
            case Message.PORT -> {
                expect(payload, 2, id);
                m = new Message.Port(in.getShort() & 0xffff);
            }
            case Message.REQUEST -> {
                expect(payload, 12, id);
                m = new Message.Request(in.getInt(), in.getInt(), in.getInt());
            }
            case Message.CANCEL -> {
                expect(payload, 12, id);
                m = new Message.Cancel(in.getInt(), in.getInt(), in.getInt());
            }
            case Message.REJECT_REQUEST -> {
                expect(payload, 12, id);
                m = new Message.RejectRequest(in.getInt(), in.getInt(), in.getInt());
            }
            case Message.BITFIELD -> {
                byte[] bits = new byte[payload];
                in.get(bits);
                m = new Message.Bitfield(bits);
            }
            case Message.PIECE -> {
                if (payload < 9) {
                    throw new ProtocolException("piece message of " + length + " bytes is too short");
                }
                int piece = in.getInt();
                int begin = in.getInt();
                ByteBuffer block = in.slice(in.position(), payload - 8).asReadOnlyBuffer();
                m = new Message.Piece(piece, begin, block);
            }
            case Message.EXTENDED -> {
                if (payload < 1) {
                    throw new ProtocolException("extended message without an extended id");
                }
                int ext = in.get() & 0xff;
                byte[] data = new byte[payload - 1];
                in.get(data);
                m = new Message.Extended(ext, data);
            }
            default -> throw new ProtocolException("unknown message id " + (id & 0xff));
        }
        in.position(start + frame);
        return m;
    }

    private static Message fixed(int payload, int expected, byte id, Message m) {
        expect(payload, expected, id);
        return m;
    }

    private static void expect(int payload, int expected, byte id) {
        if (payload != expected) {
            throw new ProtocolException("message id " + id + " must carry " + expected + " payload bytes, not " + payload);
        }
    }

    /** Bytes {@link #encode} writes for {@code m}; for a piece, only the 13-byte header (the block is sent separately). */
    public static int encodedLength(Message m) {
        if (m instanceof Message.KeepAlive) {
            return 4;
        } else if (m instanceof Message.Have || m instanceof Message.SuggestPiece || m instanceof Message.AllowedFast) {
            return 9;
        } else if (m instanceof Message.Request || m instanceof Message.Cancel || m instanceof Message.RejectRequest) {
            return 17;
        } else if (m instanceof Message.Piece) {
            return 13;
        } else if (m instanceof Message.Port) {
            return 7;
        } else if (m instanceof Message.Bitfield b) {
            return 5 + b.bits().length;
        } else if (m instanceof Message.Extended e) {
            return 6 + e.payload().length;
        }
        return 5;
    }

    /**
     * Writes {@code m} into {@code out}. A {@link Message.Piece} is written as its header only, with the
     * length prefix covering the block: the caller sends the block bytes right after (zero-copy).
     */
    public static void encode(Message m, ByteBuffer out) {
        if (m instanceof Message.KeepAlive) {
            out.putInt(0);
        } else if (m instanceof Message.Choke) {
            simple(out, Message.CHOKE);
        } else if (m instanceof Message.Unchoke) {
            simple(out, Message.UNCHOKE);
        } else if (m instanceof Message.Interested) {
            simple(out, Message.INTERESTED);
        } else if (m instanceof Message.NotInterested) {
            simple(out, Message.NOT_INTERESTED);
        } else if (m instanceof Message.HaveAll) {
            simple(out, Message.HAVE_ALL);
        } else if (m instanceof Message.HaveNone) {
            simple(out, Message.HAVE_NONE);
        } else if (m instanceof Message.Have h) {
            out.putInt(5).put(Message.HAVE).putInt(h.piece());
        } else if (m instanceof Message.SuggestPiece s) {
            out.putInt(5).put(Message.SUGGEST_PIECE).putInt(s.piece());
        } else if (m instanceof Message.AllowedFast a) {
            out.putInt(5).put(Message.ALLOWED_FAST).putInt(a.piece());
        } else if (m instanceof Message.Port p) {
            out.putInt(3).put(Message.PORT).putShort((short) p.port());
        } else if (m instanceof Message.Request r) {
            out.putInt(13).put(Message.REQUEST).putInt(r.piece()).putInt(r.begin()).putInt(r.length());
        } else if (m instanceof Message.Cancel c) {
            out.putInt(13).put(Message.CANCEL).putInt(c.piece()).putInt(c.begin()).putInt(c.length());
        } else if (m instanceof Message.RejectRequest r) {
            out.putInt(13).put(Message.REJECT_REQUEST).putInt(r.piece()).putInt(r.begin()).putInt(r.length());
        } else if (m instanceof Message.Bitfield b) {
            byte[] bits = b.bits();
            out.putInt(1 + bits.length).put(Message.BITFIELD).put(bits);
        } else if (m instanceof Message.Piece p) {
            out.putInt(9 + p.block().remaining()).put(Message.PIECE).putInt(p.piece()).putInt(p.begin());
        } else if (m instanceof Message.Extended e) {
            byte[] payload = e.payload();
            out.putInt(2 + payload.length).put(Message.EXTENDED).put((byte) e.extendedId()).put(payload);
        } else {
            throw new IllegalArgumentException("cannot encode " + m);
        }
    }

    /** Writes the 13-byte header of a piece message carrying {@code length} block bytes. */
    public static void encodePieceHeader(int piece, int begin, int length, ByteBuffer out) {
        out.putInt(9 + length).put(Message.PIECE).putInt(piece).putInt(begin);
    }

    private static void simple(ByteBuffer out, byte id) {
        out.putInt(1).put(id);
    }
}

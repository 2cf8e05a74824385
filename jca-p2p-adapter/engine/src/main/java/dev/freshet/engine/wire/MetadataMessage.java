package dev.freshet.engine.wire;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.BValue.BDictionary;
import dev.freshet.engine.bencode.Bencode;
import dev.freshet.engine.bencode.BencodeException;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * BEP 9 metadata exchange ({@code ut_metadata} over BEP 10): the info dictionary travels in 16 KiB
 * pieces. {@code d8:msg_typei0e5:piecei0ee} asks for a piece, {@code msg_type 1} carries it (the dict,
 * with {@code total_size}, followed by the raw bytes), {@code msg_type 2} refuses it.
 */
public sealed interface MetadataMessage {
    String EXTENSION = "ut_metadata";
    int PIECE_SIZE = 16 * 1024;

    int piece();

    byte[] encode();

    /** How many metadata pieces {@code metadataSize} bytes make. */
    static int pieceCount(int metadataSize) {
        return (metadataSize + PIECE_SIZE - 1) / PIECE_SIZE;
    }

    record Request(int piece) implements MetadataMessage {
        public Request {
            requirePiece(piece);
        }

        @Override
        public byte[] encode() {
            return typed(0, piece);
        }
    }

    record Data(int piece, int totalSize, byte[] data) implements MetadataMessage {
        public Data {
            requirePiece(piece);
            data = data.clone();
            if (data.length > PIECE_SIZE) {
                throw new ProtocolException("metadata piece of " + data.length + " bytes exceeds 16 KiB");
            }
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(Bencode.encode(BDictionary.of(Map.of("msg_type", BValue.of(1), "piece", BValue.of(piece),
                    "total_size", BValue.of(totalSize)))));
            out.writeBytes(data);
            return out.toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.piece == piece && d.totalSize == totalSize && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return piece * 31 + Arrays.hashCode(data);
        }
    }

    record Reject(int piece) implements MetadataMessage {
        public Reject {
            requirePiece(piece);
        }

        @Override
        public byte[] encode() {
            return typed(2, piece);
        }
    }

    /** The message in an extended payload; empty for a {@code msg_type} we do not know (BEP 9: ignore it). */
    static Optional<MetadataMessage> parse(byte[] payload) {
        Bencode.Prefix prefix;
        try {
            prefix = Bencode.decodePrefix(payload);
        } catch (BencodeException e) {
            throw new ProtocolException("malformed ut_metadata message: " + e.getMessage());
        }
        if (!(prefix.value() instanceof BDictionary d)) {
            throw new ProtocolException("ut_metadata message is not a dictionary");
        }
        long type = d.integer("msg_type").orElseThrow(() -> new ProtocolException("ut_metadata message without msg_type"));
        long piece = d.integer("piece").orElseThrow(() -> new ProtocolException("ut_metadata message without piece"));
        if (piece < 0 || piece > Integer.MAX_VALUE) {
            throw new ProtocolException("ut_metadata piece " + piece + " out of range");
        }
        int rest = payload.length - prefix.length();
        if (type == 0 || type == 2) {
            if (rest != 0) {
                throw new ProtocolException("ut_metadata request or reject with trailing bytes");
            }
            return Optional.of(type == 0 ? new Request((int) piece) : new Reject((int) piece));
        }
        if (type == 1) {
            long total = d.integer("total_size").orElseThrow(() -> new ProtocolException("ut_metadata data without total_size"));
            if (total <= 0 || total > Integer.MAX_VALUE) {
                throw new ProtocolException("ut_metadata total_size " + total + " out of range");
            }
            return Optional.of(new Data((int) piece, (int) total, Arrays.copyOfRange(payload, prefix.length(), payload.length)));
        }
        return Optional.empty();
    }

    /** A message that is just its type and piece (request, reject). */
    private static byte[] typed(int msgType, int piece) {
        return Bencode.encode(BDictionary.of(Map.of("msg_type", BValue.of(msgType), "piece", BValue.of(piece))));
    }

    private static void requirePiece(int piece) {
        if (piece < 0) {
            throw new ProtocolException("negative ut_metadata piece");
        }
    }
}

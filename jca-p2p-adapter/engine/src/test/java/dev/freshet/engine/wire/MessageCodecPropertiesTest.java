package dev.freshet.engine.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the wire codec, over generated messages and bytes (the fuzz tests search for crashes; these state
 * what must hold for every input): what is encoded decodes to the same messages however the bytes are split on
 * arrival, and any bytes at all decode to a message, to "not yet" without consuming anything, or to a
 * {@link ProtocolException}.
 */
class MessageCodecPropertiesTest {
    private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);

    @Property(tries = 300)
    void messagesSurviveEncodingWhateverTheChunksTheyArriveIn(@ForAll("streams") List<Message> messages,
                                                              @ForAll @IntRange(min = 1, max = 300) int chunk) {
        ByteBuffer wire = ByteBuffer.allocate(messages.stream().mapToInt(MessageCodecPropertiesTest::frameLength).sum());
        for (Message m : messages) {
            write(m, wire);
        }
        wire.flip();
        // the receiver's buffer gets at most `chunk` new bytes at a time, as reads from a socket do
        ByteBuffer in = ByteBuffer.allocate(wire.capacity()).flip();
        List<Message> decoded = new ArrayList<>();
        while (wire.hasRemaining() || in.hasRemaining()) {
            Message m = codec.decode(in);
            if (m != null) {
                // a piece's block is a view into the read buffer, valid until the buffer is reused: keep a copy
                decoded.add(m instanceof Message.Piece p ? new Message.Piece(p.piece(), p.begin(),
                        ByteBuffer.wrap(copy(p.block()))) : m);
                continue;
            }
            assertThat(wire.hasRemaining()).as("a whole message left undecoded").isTrue();
            in.compact();
            int n = Math.min(chunk, wire.remaining());
            in.put(wire.slice(wire.position(), n));
            wire.position(wire.position() + n);
            in.flip();
        }
        assertThat(decoded).isEqualTo(messages);
    }

    @Property(tries = 3000)
    void anyBytesDecodeToAMessageToNotYetOrToAProtocolError(@ForAll @Size(max = 64) byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            Message m = codec.decode(in);
            if (m == null) {
                assertThat(in.position()).as("nothing consumed before the message is whole").isZero();
            } else {
                assertThat(in.position()).isPositive();
            }
        } catch (ProtocolException refused) {
            // the codec's own answer to a bad frame
        }
    }

    @Property(tries = 500)
    void aBitfieldHoldsExactlyItsPieces(@ForAll @IntRange(min = 1, max = 2000) int pieceCount,
                                        @ForAll("seeds") long seed) {
        java.util.Random random = new java.util.Random(seed);
        BitSet pieces = new BitSet();
        for (int p = 0; p < pieceCount; p++) {
            if (random.nextBoolean()) {
                pieces.set(p);
            }
        }
        assertThat(Message.Bitfield.of(pieces, pieceCount).toBitSet(pieceCount)).isEqualTo(pieces);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<List<Message>> streams() {
        return messages().list().ofMaxSize(12);
    }

    private static Arbitrary<Message> messages() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, 64).map(i -> i * 16 * 1024);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 16 * 1024);
        return Arbitraries.oneOf(List.of(
                Arbitraries.of(new Message.KeepAlive(), new Message.Choke(), new Message.Unchoke(),
                        new Message.Interested(), new Message.NotInterested(), new Message.HaveAll(),
                        new Message.HaveNone()),
                index.map(Message.Have::new),
                index.map(Message.SuggestPiece::new),
                index.map(Message.AllowedFast::new),
                Arbitraries.integers().between(0, 65535).map(Message.Port::new),
                Combinators.combine(index, offset, length).as(Message.Request::new),
                Combinators.combine(index, offset, length).as(Message.Cancel::new),
                Combinators.combine(index, offset, length).as(Message.RejectRequest::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(Message.Bitfield::new),
                Combinators.combine(index, offset, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(600))
                        .as((p, b, data) -> new Message.Piece(p, b, ByteBuffer.wrap(data))),
                Combinators.combine(Arbitraries.integers().between(0, 255),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300)).as(Message.Extended::new)));
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static int frameLength(Message m) {
        return m instanceof Message.Piece p ? MessageCodec.encodedLength(m) + p.block().remaining()
                : MessageCodec.encodedLength(m);
    }

    /** A piece goes out as its header and then its block (the engine sends blocks on their own). */
    private static void write(Message m, ByteBuffer out) {
        if (m instanceof Message.Piece p) {
            MessageCodec.encodePieceHeader(p.piece(), p.begin(), p.block().remaining(), out);
            out.put(p.block().duplicate());
        } else {
            MessageCodec.encode(m, out);
        }
    }
}

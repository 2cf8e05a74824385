package dev.freshet.engine.wire;

import dev.freshet.engine.metainfo.InfoHash;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);

    static Stream<Message> everyMessage() {
        return Stream.of(new Message.KeepAlive(), new Message.Choke(), new Message.Unchoke(), new Message.Interested(),
                new Message.NotInterested(), new Message.Have(7), new Message.Bitfield(new byte[] {(byte) 0xa0}),
                new Message.Request(1, 16384, 16384), new Message.Cancel(1, 0, 100), new Message.Port(6881),
                new Message.SuggestPiece(3), new Message.HaveAll(), new Message.HaveNone(),
                new Message.RejectRequest(2, 32768, 16384), new Message.AllowedFast(9),
                new Message.Extended(0, "d1:md11:ut_metadatai3eee".getBytes()));
    }

    private static ByteBuffer encode(Message m) {
        ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
        MessageCodec.encode(m, b);
        assertThat(b.hasRemaining()).as("encodedLength matches").isFalse();
        return b.flip();
    }

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    @Nested
    class Correct {
        @ParameterizedTest
        @MethodSource("dev.freshet.engine.wire.MessageCodecTest#everyMessage")
        void roundTrips(Message m) {
            ByteBuffer b = encode(m);
            assertThat(codec.decode(b)).isEqualTo(m);
            assertThat(b.hasRemaining()).isFalse();
        }

        @Test
        void pieceCarriesItsBlockAsAView() {
            byte[] block = new byte[16384];
            new Random(3).nextBytes(block);
            ByteBuffer b = ByteBuffer.allocate(13 + block.length);
            MessageCodec.encodePieceHeader(4, 16384, block.length, b);
            b.put(block).flip();
            Message.Piece p = (Message.Piece) codec.decode(b);
            assertThat(p.piece()).isEqualTo(4);
            assertThat(p.begin()).isEqualTo(16384);
            byte[] got = new byte[p.block().remaining()];
            p.block().get(got);
            assertThat(got).isEqualTo(block);
        }

        @Test
        void decodesSeveralMessagesFromOneBuffer() {
            ByteBuffer b = bytes("00000001" + "01" + "0000000504" + "00000002" + "00000000");
            assertThat(codec.decode(b)).isEqualTo(new Message.Unchoke());
            assertThat(codec.decode(b)).isEqualTo(new Message.Have(2));
            assertThat(codec.decode(b)).isEqualTo(new Message.KeepAlive());
            assertThat(codec.decode(b)).isNull();
        }

        @Test
        void handshakeRoundTripsAndAnnouncesOnlyWhatWeImplement() {
            InfoHash hash = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
            PeerId id = PeerId.generate(new Random(1));
            Handshake h = Handshake.ours(hash, id);
            ByteBuffer b = ByteBuffer.allocate(Handshake.LENGTH);
            h.encode(b);
            b.flip();
            assertThat(HexFormat.of().formatHex(h.reserved())).isEqualTo("0000000000100004");
            assertThat(Handshake.decode(b)).isEqualTo(h);
            assertThat(h.supportsExtensionProtocol()).isTrue();
            assertThat(h.supportsFastExtension()).isTrue();
            assertThat(id.toString()).startsWith("-FR0001-");
        }

        @Test
        void bitfieldIsHighBitFirst() {
            BitSet s = new BitSet();
            s.set(0);
            s.set(9);
            Message.Bitfield b = Message.Bitfield.of(s, 10);
            assertThat(b.bits()).containsExactly(0x80, 0x40);
            assertThat(b.toBitSet(10)).isEqualTo(s);
        }

        @Test
        void extensionHandshakeReadsWhatClientsSend() {
            // what libtorrent 2.0 sends, abridged
            byte[] payload = ("d1:md11:lt_donthavei7e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei5205e1:pi6881e"
                    + "4:reqqi2000e1:v18:libtorrent/2.0.8.06:yourip4:\u007f\u0000\u0000\u0001e").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            ExtensionHandshake h = ExtensionHandshake.parse(payload);
            assertThat(h.extensions()).containsEntry("ut_metadata", 2).containsEntry("ut_pex", 1);
            assertThat(h.requestQueue()).contains(2000);
            assertThat(h.listenPort()).contains(6881);
            assertThat(h.client()).contains("libtorrent/2.0.8.0");
            assertThat(h.metadataSize()).contains(5205L);
            ExtensionHandshake ours = new ExtensionHandshake(Map.of("ut_metadata", 1), Optional.of("Freshet"),
                    Optional.of(1024), Optional.of(7000), Optional.empty());
            assertThat(ExtensionHandshake.parse(ours.encode())).isEqualTo(ours);
        }
    }

    @Nested
    class Insufficient {
        @ParameterizedTest
        @MethodSource("dev.freshet.engine.wire.MessageCodecTest#everyMessage")
        void everyPrefixOfAMessageAsksForMoreAndConsumesNothing(Message m) {
            ByteBuffer whole = encode(m);
            for (int n = 0; n < whole.limit(); n++) {
                ByteBuffer part = whole.duplicate().limit(n);
                assertThat(codec.decode(part)).as("prefix of %d bytes", n).isNull();
                assertThat(part.position()).isZero();
            }
        }

        @Test
        void partialHandshakeAsksForMore() {
            ByteBuffer b = ByteBuffer.allocate(68);
            Handshake.ours(InfoHash.fromHex("00".repeat(20)), PeerId.of(new byte[20])).encode(b);
            b.flip().limit(60);
            assertThat(Handshake.decode(b)).isNull();
            assertThat(b.position()).isZero();
        }
    }

    @Nested
    class Invalid {
        @Test
        void unknownIdIsAProtocolError() {
            assertThatThrownBy(() -> codec.decode(bytes("0000000163"))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("unknown message id 99");
        }

        @Test
        void requestForMoreThanSixteenKibibytesIsRefused() {
            assertThatThrownBy(() -> codec.decode(bytes("0000000d06" + "00000000" + "00000000" + "00008000")))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("block length 32768");
            assertThatThrownBy(() -> codec.decode(bytes("0000000d06" + "00000000" + "00000000" + "00000000")))
                    .hasMessageContaining("block length 0");
        }

        @Test
        void negativeIndicesAreRefused() {
            assertThatThrownBy(() -> codec.decode(bytes("0000000504ffffffff"))).hasMessageContaining("negative piece index");
            assertThatThrownBy(() -> codec.decode(bytes("0000000d06" + "00000000" + "ffffffff" + "00004000")))
                    .hasMessageContaining("negative block offset");
        }

        @Test
        void bitfieldOfTheWrongLengthOrWithSpareBitsIsRefused() {
            assertThatThrownBy(() -> new Message.Bitfield(new byte[1]).toBitSet(9)).hasMessageContaining("9 pieces need 2");
            assertThatThrownBy(() -> new Message.Bitfield(new byte[] {(byte) 0xff}).toBitSet(7)).hasMessageContaining("spare bits");
            assertThat(new Message.Bitfield(new byte[] {(byte) 0xfe}).toBitSet(7).cardinality()).isEqualTo(7);
        }

        @Test
        void wrongHandshakeIsRefusedAtOnce() {
            assertThatThrownBy(() -> Handshake.decode(bytes("13426974546f7272656e58"))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("wrong protocol string");
            assertThatThrownBy(() -> Handshake.decode(bytes("16"))).hasMessageContaining("first byte 22");
        }

        @Test
        void malformedExtensionHandshakeIsAProtocolError() {
            assertThatThrownBy(() -> ExtensionHandshake.parse("d1:m".getBytes())).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> ExtensionHandshake.parse("le".getBytes())).hasMessageContaining("not a dictionary");
        }
    }

    @Nested
    class WrongDeclaredLength {
        @Test
        void lengthAboveTheLimitIsRefusedBeforeThePayloadArrives() {
            assertThatThrownBy(() -> codec.decode(bytes("7fffffff07"))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("exceeds the limit");
            assertThatThrownBy(() -> codec.decode(bytes("ffffffff"))).hasMessageContaining("exceeds the limit");
        }

        @Test
        void fixedSizeMessagesWithOtherLengthsAreRefused() {
            for (String hex : List.of("0000000200" + "00", "000000040400000000", "0000000c06" + "000000000000000000000040",
                    "0000000e06" + "0000000000000000000040000000".substring(0, 26) + "00", "000000020e00", "0000000109")) {
                assertThatThrownBy(() -> codec.decode(bytes(hex))).as(hex).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("payload bytes");
            }
        }

        @Test
        void pieceWithoutABlockIsRefused() {
            assertThatThrownBy(() -> codec.decode(bytes("000000090700000000" + "00000000"))).hasMessageContaining("too short");
        }
    }
}

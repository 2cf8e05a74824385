package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.MetadataMessage;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** BEP 9: a peer that knows only the info-hash gets the info dictionary from a seed, piece by piece. */
class MetadataExchangeTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    /** A blocking peer speaking raw wire messages. */
    private static final class RawPeer implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20).flip();

        RawPeer(java.net.InetSocketAddress to) throws IOException {
            socket = new Socket(to.getAddress(), to.getPort());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        void send(Message m) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
            MessageCodec.encode(m, b);
            socket.getOutputStream().write(b.array());
        }

        void skip(int n) throws IOException {
            in.readNBytes(n);
        }

        Message next() throws IOException {
            while (true) {
                Message m = codec.decode(buffer);
                if (m != null) {
                    return m;
                }
                buffer.compact();
                byte[] chunk = new byte[65536];
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("closed by the engine");
                }
                buffer.put(chunk, 0, n).flip();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aPeerWithOnlyTheInfoHashFetchesAndVerifiesTheMetadata() throws Exception {
        // 16 KiB pieces of 20 MB: 1221 piece hashes, so the info dictionary spans two metadata pieces
        TestData.write(dir.resolve("seed/data"), 31, 20_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 16 * 1024);
        byte[] expected = m.info().raw();
        assertThat(MetadataMessage.pieceCount(expected.length)).isEqualTo(2);
        EngineHarness.Node seed = harness.start();
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.has(EngineEvent.SwarmStarted.class, e -> true));

        try (RawPeer peer = new RawPeer(seed.address())) {
            ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
            Handshake.ours(hash, PeerId.generate(new Random(1))).encode(hs);
            peer.socket.getOutputStream().write(hs.array());
            peer.skip(Handshake.LENGTH);
            int ourId = 3;
            peer.send(new Message.Extended(0, new ExtensionHandshake(Map.of(MetadataMessage.EXTENSION, ourId),
                    Optional.of("test"), Optional.empty(), Optional.empty(), Optional.empty()).encode()));

            ExtensionHandshake theirs = null;
            while (theirs == null) {
                if (peer.next() instanceof Message.Extended e && e.extendedId() == 0) {
                    theirs = ExtensionHandshake.parse(e.payload());
                }
            }
            assertThat(theirs.metadataSize()).contains((long) expected.length);
            int theirId = theirs.extensions().get(MetadataMessage.EXTENSION);

            peer.send(new Message.Extended(theirId, new MetadataMessage.Request(1).encode()));
            peer.send(new Message.Extended(theirId, new MetadataMessage.Request(0).encode()));
            peer.send(new Message.Extended(theirId, new MetadataMessage.Request(9).encode()));
            Map<Integer, byte[]> pieces = new HashMap<>();
            boolean rejected = false;
            while (pieces.size() < 2 || !rejected) {
                if (peer.next() instanceof Message.Extended e && e.extendedId() == ourId) {
                    MetadataMessage answer = MetadataMessage.parse(e.payload()).orElseThrow();
                    if (answer instanceof MetadataMessage.Data d) {
                        assertThat(d.totalSize()).isEqualTo(expected.length);
                        pieces.put(d.piece(), d.data());
                    } else if (answer instanceof MetadataMessage.Reject r) {
                        assertThat(r.piece()).isEqualTo(9);
                        rejected = true;
                    }
                }
            }
            ByteArrayOutputStream assembled = new ByteArrayOutputStream();
            assembled.writeBytes(pieces.get(0));
            assembled.writeBytes(pieces.get(1));
            byte[] metadata = assembled.toByteArray();
            assertThat(InfoHash.ofInfoBytes(metadata)).isEqualTo(hash);
            assertThat(Info.parse(metadata)).isEqualTo(m.info());

            // asking for the same piece over and over is a flood: the seed hangs up (which the test may
            // notice while still sending, or when reading)
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    peer.send(new Message.Extended(theirId, new MetadataMessage.Request(0).encode()));
                }
                while (true) {
                    peer.next();
                }
            }).isInstanceOf(IOException.class).isNotInstanceOf(java.net.SocketTimeoutException.class);
        }
        assertThat(seed.status(hash).state()).isEqualTo(SwarmState.SEEDING);
    }
}

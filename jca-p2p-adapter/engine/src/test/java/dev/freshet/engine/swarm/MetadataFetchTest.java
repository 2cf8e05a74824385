package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.MagnetLink;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.MetainfoException;
import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.MetadataMessage;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** BEP 9, the asking side: a node given only a magnet link gets the metainfo, and only the true one. */
class MetadataFetchTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    private ServerSocket liar;

    @AfterEach
    void closeLiar() throws IOException {
        if (liar != null) {
            liar.close();
        }
    }

    /** A peer that completes the handshakes and then sends metadata that is not the swarm's. */
    private InetSocketAddress startLiar(Metainfo m) throws IOException {
        liar = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!liar.isClosed()) {
                try (Socket s = liar.accept()) {
                    s.getInputStream().readNBytes(Handshake.LENGTH);
                    OutputStream out = s.getOutputStream();
                    ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
                    Handshake.ours(m.infoHash(), PeerId.generate(new Random(3))).encode(hs);
                    out.write(hs.array());
                    byte[] fake = m.info().raw().clone();
                    fake[fake.length / 2] ^= 1;
                    write(out, new Message.Extended(0, new ExtensionHandshake(Map.of(MetadataMessage.EXTENSION, 7),
                            Optional.of("liar"), Optional.empty(), Optional.empty(), Optional.of((long) fake.length)).encode()));
                    for (int p = 0; p < MetadataMessage.pieceCount(fake.length); p++) {
                        int from = p * MetadataMessage.PIECE_SIZE;
                        byte[] piece = java.util.Arrays.copyOfRange(fake, from, Math.min(fake.length, from + MetadataMessage.PIECE_SIZE));
                        write(out, new Message.Extended(1, new MetadataMessage.Data(p, fake.length, piece).encode()));
                    }
                    Thread.sleep(200);
                } catch (IOException | InterruptedException closed) {
                    return;
                }
            }
        }, "liar");
        t.setDaemon(true);
        t.start();
        return new InetSocketAddress("127.0.0.1", liar.getLocalPort());
    }

    private static void write(OutputStream out, Message m) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
        MessageCodec.encode(m, b);
        out.write(b.array());
    }

    @Test
    void aMagnetLinkBecomesTheTrueMetainfoEvenWhenALiarAnswersFirst() throws Exception {
        TestData.write(dir.resolve("seed/data"), 41, 20_000_000, 3_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 16 * 1024); // two metadata pieces
        EngineHarness.Node seed = harness.start();
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.has(EngineEvent.SwarmStarted.class, e -> true));
        InetSocketAddress liarAddress = startLiar(m);

        EngineHarness.Node leecher = harness.start();
        MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + m.infoHash().hex() + "&x.pe=127.0.0.1:"
                + seed.address().getPort());
        Metainfo fetched = leecher.engine.fetchMetadata(link, List.of(liarAddress), Duration.ofSeconds(20))
                .get(30, TimeUnit.SECONDS);
        assertThat(fetched.infoHash()).isEqualTo(m.infoHash());
        assertThat(fetched.info().raw()).isEqualTo(m.info().raw());

        // and the swarm it makes downloads like any other
        leecher.add(fetched, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }

    @Test
    void withoutAnHonestPeerItFailsAndSaysWhatEachPeerDid() throws Exception {
        TestData.write(dir.resolve("seed/data"), 42, 100_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 16 * 1024);
        InetSocketAddress liarAddress = startLiar(m);
        EngineHarness.Node leecher = harness.start();
        MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + m.infoHash().hex());
        assertThatThrownBy(() -> leecher.engine.fetchMetadata(link, List.of(liarAddress, new InetSocketAddress("127.0.0.1", 1)),
                Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(MetainfoException.class)
                .hasMessageContaining("not the info-hash").hasMessageContaining("127.0.0.1:1");
    }

    /**
     * A peer that takes the connection and never says a word is given up after a few seconds, without holding a
     * thread meanwhile (the fetch lives on the network loop): the engine keeps answering calls while it waits.
     */
    @Test
    void aSilentPeerIsGivenUpAndTheEngineAnswersMeanwhile() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) { // never accepts
            EngineHarness.Node leecher = harness.start();
            MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20));
            var fetch = leecher.engine.fetchMetadata(link, List.of(new InetSocketAddress("127.0.0.1", silent.getLocalPort())),
                    Duration.ofSeconds(20));
            assertThat(leecher.engine.statuses().get(2, TimeUnit.SECONDS)).isEmpty();
            assertThat(fetch).isNotDone();
            assertThatThrownBy(() -> fetch.get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(MetainfoException.class)
                    .hasMessageContaining("no answer within");
        }
    }
}

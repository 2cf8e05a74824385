package dev.freshet.engine.swarm;

import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * BEP 27: a private swarm takes incoming peers only from the addresses its owner or its trackers named.
 * Peers connect from distinct loopback addresses (127.0.0.x) over real sockets.
 */
class PrivateSwarmTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    private EngineHarness.Node seed(boolean isPrivate) throws Exception {
        TestData.write(dir.resolve("seed/a"), 11, 700_000);
        Metainfo m = new TorrentCreator().pieceLength(64 * 1024).privateFlag(isPrivate).create(dir.resolve("seed/a"));
        assertThat(m.info().isPrivate()).isEqualTo(isPrivate);
        EngineHarness.Node seed = harness.start();
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.has(EngineEvent.SwarmStarted.class, e -> true));
        return seed;
    }

    /** True when the engine answers the handshake of a connection from {@code from}; false when it closes it. */
    private static boolean answersFrom(String from, EngineHarness.Node node) throws IOException {
        InfoHash hash = node.engine.statuses().join().get(0).infoHash();
        try (Socket s = new Socket(node.address().getAddress(), node.address().getPort(), InetAddress.getByName(from), 0)) {
            s.setSoTimeout(10_000);
            ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
            Handshake.ours(hash, PeerId.generate(new Random())).encode(hs);
            s.getOutputStream().write(hs.array());
            DataInputStream in = new DataInputStream(s.getInputStream());
            int first = in.read();
            return first == 19; // the length of "BitTorrent protocol": the engine's handshake
        }
    }

    @Test
    void aPrivateSwarmRefusesPeersNobodyNamedAndTakesThemOnceNamed() throws Exception {
        EngineHarness.Node seed = seed(true);
        InfoHash hash = seed.engine.statuses().join().get(0).infoHash();

        assertThat(answersFrom("127.0.0.3", seed)).as("a stranger is refused").isFalse();
        assertThat(answersFrom("127.0.0.4", seed)).isFalse();

        // the owner (the cluster directory, an authorised announce) names 127.0.0.3, on any port
        seed.engine.addPeers(hash, List.of(new InetSocketAddress("127.0.0.3", 1))).join();
        assertThat(answersFrom("127.0.0.3", seed)).as("a named peer is taken").isTrue();
        assertThat(answersFrom("127.0.0.4", seed)).as("others still are not").isFalse();
    }

    @Test
    void aPublicSwarmTakesAnyPeer() throws Exception {
        EngineHarness.Node seed = seed(false);
        assertThat(answersFrom("127.0.0.3", seed)).isTrue();
    }

    @Test
    void aLeecherTheSeedsOwnerNamesDownloadsThePrivateSwarm() throws Exception {
        EngineHarness.Node seed = seed(true);
        InfoHash hash = seed.engine.statuses().join().get(0).infoHash();
        Metainfo m = new TorrentCreator().pieceLength(64 * 1024).privateFlag(true).create(dir.resolve("seed/a"));
        EngineHarness.Node leecher = harness.start();
        leecher.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        seed.engine.addPeers(hash, List.of(leecher.address())).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }
}

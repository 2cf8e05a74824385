package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Thousands of peers on one network thread: no thread per connection, and transfers go on. */
class ManyConnectionsTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    /** 2000, or fewer where the process may not open 2 descriptors per connection plus headroom. */
    private static int connectionCount() {
        long maxFds = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount() : 4096;
        int n = (int) Math.min(2000, (maxFds - 500) / 2);
        System.out.println("ManyConnectionsTest: " + n + " connections (descriptor limit " + maxFds + ")");
        return n;
    }

    @Test
    void holdsThousandsOfPeersWithoutAThreadPerConnection() throws Exception {
        int n = connectionCount();
        TestData.write(dir.resolve("seed/data"), 21, 2_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().maxConnections(n + 50).maxPeersPerSwarm(n + 50));
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.has(EngineEvent.SwarmStarted.class, e -> true));
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        List<Socket> peers = new ArrayList<>();
        try {
            Random random = new Random(5);
            for (int i = 0; i < n; i++) {
                Socket s = new Socket(seed.address().getAddress(), seed.address().getPort());
                s.setSoTimeout(20_000);
                ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
                Handshake.ours(hash, PeerId.generate(random)).encode(hs);
                s.getOutputStream().write(hs.array());
                peers.add(s);
            }
            for (Socket s : peers) {
                byte[] reply = new byte[Handshake.LENGTH];
                new DataInputStream(s.getInputStream()).readFully(reply);
                assertThat(reply[0]).isEqualTo((byte) 19);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seed.status(hash).peers().size() == n);
            // the engine's own threads did not multiply (the test's sockets are blocking and need none)
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(threadsBefore + 10);
            // and idle peers hold no buffers: memory does not grow with the number of quiet connections
            await().atMost(Duration.ofSeconds(10)).until(() -> seed.engine.buffersInUse() < 20);

            // with all of them connected, a real leecher still gets its copy
            EngineHarness.Node leecher = harness.start();
            leecher.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
            await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
            TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
        } finally {
            for (Socket s : peers) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seed.status(hash).peers().isEmpty());
    }
}

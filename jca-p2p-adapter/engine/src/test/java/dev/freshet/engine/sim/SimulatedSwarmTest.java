package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmState;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole swarms of real engines in simulated time (issue 11): a seed and many leechers on a simulated network of
 * offices, every byte and every piece hash real, deterministic for a seed. Asserts the invariants (every copy
 * verified, no block stored twice by one node, bytes accounted) and prints the figures.
 */
class SimulatedSwarmTest {
    record Run(long simNanos, long cpuNanos, long total, java.util.Map<String, Long> byGroups, List<Integer> completionOrder) {
    }

    static Run swarm(int leechers, long length, int pieceLength, long seed) throws Exception {
        SimNetwork net = new SimNetwork(Duration.ofNanos(Long.getLong("sim.slotMicros", 1000) * 1000))
                .group("hq", Duration.ofMillis(1)).group("paris", Duration.ofMillis(1))
                .link("hq", "paris", 12_500_000, Duration.ofMillis(20)); // 100 Mbit/s, 20 ms each way
        SimStorage.Content content = new SimStorage.Content("artifact.bin", length, pieceLength, seed);
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        List<Integer> completed = new ArrayList<>();
        List<SimStorage> storages = new ArrayList<>();
        try (SimSwarm sim = new SimSwarm(net, seed)) {
            SimHost seedHost = net.host("127.0.1.1", "hq", 125_000_000, 125_000_000); // 1 Gbit/s
            SimSwarm.Node seedNode = sim.start(seedHost, b -> { }, e -> { });
            InfoHash hash = sim.add(seedNode, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false).trusted());
            Random random = new Random(seed);
            List<InetSocketAddress> everyone = new ArrayList<>();
            everyone.add(seedNode.address());
            for (int i = 0; i < leechers; i++) {
                String group = i % 2 == 0 ? "hq" : "paris";
                SimHost h = net.host("127.0." + (2 + i / 200) + "." + (1 + i % 200), group, 125_000_000, 125_000_000);
                int index = i;
                SimSwarm.Node n = sim.start(h, b -> { }, e -> {
                    if (e instanceof EngineEvent.SwarmComplete) {
                        completed.add(index);
                    }
                });
                // as a tracker would answer: up to 30 peers that came before
                List<InetSocketAddress> peers = new ArrayList<>(everyone);
                java.util.Collections.shuffle(peers, random);
                SimStorage storage = new SimStorage(content, false);
                storages.add(storage);
                sim.add(n, content.metainfo(), storage, SwarmOptions.defaults().withAnnounce(false)
                        .withPeers(peers.subList(0, Math.min(30, peers.size()))));
                everyone.add(n.address());
            }
            long simNanos = sim.runUntil(() -> completed.size() == leechers, 600_000_000_000L);
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
            for (int i = 0; i < leechers; i++) {
                SimSwarm.Node n = sim.nodes().get(i + 1);
                assertThat(sim.status(n, hash).state()).isEqualTo(SwarmState.SEEDING);
                assertThat(storages.get(i).holdsTheContent()).as("leecher %d holds the content", i).isTrue();
                assertThat(storages.get(i).maxWritesOfABlock()).as("leecher %d stored a block twice", i).isEqualTo(1);
            }
            return new Run(simNanos, cpu, net.totalBytes(), net.bytesByGroups(), completed);
        }
    }

    @Test
    void aSeedAndLeechersInTwoOfficesAllEndWithVerifiedCopiesDeterministically() throws Exception {
        Run a = swarm(20, 8L << 20, 256 * 1024, 42);
        Run b = swarm(20, 8L << 20, 256 * 1024, 42);
        System.out.printf("SIM 20 leechers, 8 MiB: %.2f s simulated, %.2f s CPU, %s%n", a.simNanos() / 1e9,
                a.cpuNanos() / 1e9, a.byGroups());
        assertThat(b.simNanos()).isEqualTo(a.simNanos());
        assertThat(b.byGroups()).isEqualTo(a.byGroups());
        assertThat(b.completionOrder()).isEqualTo(a.completionOrder());
        // every byte accounted: at least the payload for each leecher, and what crossed is part of the total
        assertThat(a.total()).isGreaterThanOrEqualTo(20L * (8L << 20));
        assertThat(a.byGroups().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(a.total());
    }

    /**
     * BEP 9 runs on the network loop (issue 11): a leecher that has only the magnet link gets the metadata over the
     * simulated network (a blocking socket could not reach a simulated host), past a peer that refuses the
     * connection, then downloads the artifact; the same seed gives the same virtual time.
     */
    @Test
    void aMagnetLinkIsFetchedOnTheNetworkLoopInSimulatedTime() throws Exception {
        long first = magnetRun(11);
        assertThat(magnetRun(11)).isEqualTo(first);
    }

    private static long magnetRun(long seed) throws Exception {
        SimNetwork net = new SimNetwork()
                .group("hq", Duration.ofMillis(1)).group("paris", Duration.ofMillis(1))
                .link("hq", "paris", 12_500_000, Duration.ofMillis(20));
        SimStorage.Content content = new SimStorage.Content("artifact.bin", 4L << 20, 256 * 1024, seed);
        try (SimSwarm sim = new SimSwarm(net, seed)) {
            SimSwarm.Node seedNode = sim.start(net.host("127.0.1.1", "hq", 125_000_000, 125_000_000), b -> { }, e -> { });
            InfoHash hash = sim.add(seedNode, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false).trusted());
            SimSwarm.Node leecher = sim.start(net.host("127.0.2.1", "paris", 125_000_000, 125_000_000), b -> { }, e -> { });
            dev.freshet.engine.metainfo.MagnetLink link = dev.freshet.engine.metainfo.MagnetLink.parse(
                    "magnet:?xt=urn:btih:" + hash.hex());
            var fetch = leecher.engine.fetchMetadata(link,
                    List.of(new InetSocketAddress("127.0.9.9", SimSwarm.PORT), seedNode.address()), Duration.ofSeconds(30));
            long took = sim.runUntil(fetch::isDone, 60_000_000_000L);
            assertThat(fetch.join().info().raw()).isEqualTo(content.metainfo().info().raw());
            SimStorage storage = new SimStorage(content, false);
            sim.add(leecher, fetch.join(), storage, SwarmOptions.defaults().withAnnounce(false)
                    .withPeers(List.of(seedNode.address())));
            took += sim.runUntil(() -> sim.status(leecher, hash).state() == SwarmState.SEEDING, 60_000_000_000L);
            assertThat(storage.holdsTheContent()).isTrue();
            return took;
        }
    }

    /**
     * Connections with the smallest buffers the engine takes ({@code EngineConfig.Builder.connectionBuffers}: one
     * block message each way), as a simulated swarm of thousands of nodes runs them: a message larger than the read
     * buffer (the metadata's first 16 KiB piece with its header, 1,024 pieces' hashes) still arrives, one larger than
     * the write buffer waits its turn, and a seed, a leecher that has the .torrent and one that has only the magnet
     * link end with verified copies.
     */
    @Test
    void connectionsWithTheSmallestBuffersCarryMessagesLargerThanThem() throws Exception {
        int least = dev.freshet.engine.swarm.EngineConfig.ONE_BLOCK_MESSAGE;
        SimNetwork net = new SimNetwork().group("hq", Duration.ofMillis(1));
        SimStorage.Content content = new SimStorage.Content("artifact.bin", 16L << 20, 16 * 1024, 3);
        assertThat(content.metainfo().info().raw().length).as("metadata of two pieces").isGreaterThan(16 * 1024 + 13);
        try (SimSwarm sim = new SimSwarm(net, 3)) {
            java.util.function.Consumer<dev.freshet.engine.swarm.EngineConfig.Builder> lean =
                    b -> b.connectionBuffers(least, least);
            SimSwarm.Node seedNode = sim.start(net.host("127.0.1.1", "hq", 125_000_000, 125_000_000), lean, e -> { });
            InfoHash hash = sim.add(seedNode, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false).trusted());
            SimSwarm.Node withTorrent = sim.start(net.host("127.0.1.2", "hq", 125_000_000, 125_000_000), lean, e -> { });
            SimStorage first = new SimStorage(content, false);
            sim.add(withTorrent, content.metainfo(), first, SwarmOptions.defaults().withAnnounce(false)
                    .withPeers(List.of(seedNode.address())));
            SimSwarm.Node withMagnet = sim.start(net.host("127.0.1.3", "hq", 125_000_000, 125_000_000), lean, e -> { });
            var fetch = withMagnet.engine.fetchMetadata(dev.freshet.engine.metainfo.MagnetLink.parse(
                    "magnet:?xt=urn:btih:" + hash.hex()), List.of(seedNode.address()), Duration.ofSeconds(30));
            sim.runUntil(fetch::isDone, 60_000_000_000L);
            assertThat(fetch.join().info().raw()).isEqualTo(content.metainfo().info().raw());
            SimStorage second = new SimStorage(content, false);
            sim.add(withMagnet, fetch.join(), second, SwarmOptions.defaults().withAnnounce(false)
                    .withPeers(List.of(seedNode.address(), withTorrent.address())));
            sim.runUntil(() -> sim.status(withTorrent, hash).state() == SwarmState.SEEDING
                    && sim.status(withMagnet, hash).state() == SwarmState.SEEDING, 120_000_000_000L);
            assertThat(first.holdsTheContent()).isTrue();
            assertThat(second.holdsTheContent()).isTrue();
        }
    }

    @Test
    void connectionBuffersSmallerThanOneBlockMessageAreRefused() {
        var b = dev.freshet.engine.swarm.EngineConfig.builder()
                .connectionBuffers(dev.freshet.engine.swarm.EngineConfig.ONE_BLOCK_MESSAGE - 1, 64 * 1024);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.build(Runnable::run, Runnable::run))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one block message");
    }

    /** A seed and 200 leechers of 32 MiB in the suite; -Dsim.mib=256 gives the figure (about two and a half minutes of CPU). */
    @Test
    void aSeedAndTwoHundredLeechers() throws Exception {
        int leechers = Integer.getInteger("sim.leechers", 200);
        long mib = Long.getLong("sim.mib", 32);
        Run r = swarm(leechers, mib << 20, 256 * 1024, 7);
        System.out.printf("SIM %d leechers, %d MiB: %.2f s simulated, %.2f s CPU, %.1f GiB moved, %s%n", leechers, mib,
                r.simNanos() / 1e9, r.cpuNanos() / 1e9, r.total() / (double) (1L << 30), r.byGroups());
    }
}

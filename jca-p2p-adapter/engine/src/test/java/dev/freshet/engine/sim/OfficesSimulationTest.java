package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.PeerPreference;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offices (issue 12) in simulated time: a publisher's office (hq, one seed) and offices of several nodes, each
 * office behind its own WAN link to a core. Real engines, real bytes and hashes; the figures that matter are how
 * many bytes cross each office's link (÷ the artifact's size F) and how long the distribution takes (÷ F/W, the
 * time one copy takes over one WAN link W). Asserts bytes, never times.
 */
class OfficesSimulationTest {
    /** 100 Mbit/s per office link, 10 ms to the core; 1 Gbit/s NICs, 1 ms inside an office. */
    static final long WAN = 12_500_000;
    static final long NIC = 125_000_000;

    record Figures(long length, long simNanos, long cpuNanos, Map<String, Long> wanIn, Map<String, Long> wanOut,
                   List<Long> completions, Map<String, Long> engineWanIn) {
        double in(String office) {
            return wanIn.get(office) / (double) length;
        }

        double out(String office) {
            return wanOut.get(office) / (double) length;
        }

        double bound() {
            return length / (double) WAN * 1e9;
        }

        double timeOverBound() {
            return simNanos / bound();
        }

        double p99OverBound() {
            List<Long> sorted = new ArrayList<>(completions);
            Collections.sort(sorted);
            return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / bound();
        }

        String summary() {
            StringBuilder b = new StringBuilder();
            wanIn.keySet().forEach(o -> b.append(String.format("%s in %.2f out %.2f; ", o, in(o), out(o))));
            return b + String.format("time/bound %.2f, p99/bound %.2f, %.1f s simulated, %.1f s CPU",
                    timeOverBound(), p99OverBound(), simNanos / 1e9, cpuNanos / 1e9);
        }
    }

    /**
     * {@code offices} offices of {@code perOffice} nodes, all fetching an artifact of {@code mib} MiB published on hq;
     * {@code aware}: each engine ranks its own office's peers first (what the control plane gives it from the
     * directory), else every peer alike.
     */
    static Figures run(int offices, int perOffice, long mib, boolean aware, long seed) throws Exception {
        return run(offices, perOffice, mib, aware, seed, -1);
    }

    /** As above; {@code killAtSeconds} ≥ 0: office0's first node dies then (its engine closes every socket at once). */
    static Figures run(int offices, int perOffice, long mib, boolean aware, long seed, double killAtSeconds)
            throws Exception {
        return run(offices, perOffice, mib, aware, seed, killAtSeconds, false);
    }

    /** As above; {@code hang}: the node stops instead of dying, its sockets left open (a process that hangs). */
    static Figures run(int offices, int perOffice, long mib, boolean aware, long seed, double killAtSeconds, boolean hang)
            throws Exception {
        SimNetwork net = new SimNetwork().group("hq", Duration.ofMillis(1)).wan("hq", WAN, Duration.ofMillis(10));
        List<String> names = new ArrayList<>();
        for (int o = 0; o < offices; o++) {
            String name = "office" + o;
            names.add(name);
            net.group(name, Duration.ofMillis(1)).wan(name, WAN, Duration.ofMillis(10));
        }
        long length = mib << 20;
        SimStorage.Content content = new SimStorage.Content("artifact.bin", length, 256 * 1024, seed);
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        Map<String, String> groupOf = new HashMap<>();
        List<Long> completions = new ArrayList<>();
        List<SimStorage> storages = new ArrayList<>();
        List<SimSwarm.Node> leecherNodes = new ArrayList<>();
        boolean[] killed = {false};
        try (SimSwarm sim = new SimSwarm(net, seed)) {
            SimHost hq = net.host("127.0.1.1", "hq", NIC, NIC);
            groupOf.put(hq.ip(), "hq");
            SimSwarm.Node publisher = sim.start(hq, b -> { }, e -> { });
            if (aware) {
                sim.await(publisher, publisher.engine.peerPreference(officesOf("hq", groupOf)));
            }
            SwarmOptions publishing = SwarmOptions.defaults().withAnnounce(false).trusted();
            InfoHash hash = sim.add(publisher, content.metainfo(), new SimStorage(content, true),
                    aware ? publishing.asFirstSeed() : publishing);
            Random random = new Random(seed);
            List<InetSocketAddress> everyone = new ArrayList<>(List.of(publisher.address()));
            Map<String, List<InetSocketAddress>> officeMates = new HashMap<>();
            long start = net.now();
            for (int o = 0; o < offices; o++) {
                for (int i = 0; i < perOffice; i++) {
                    SimHost h = net.host("127.0." + (2 + o) + "." + (1 + i), names.get(o), NIC, NIC);
                    groupOf.put(h.ip(), names.get(o));
                    SimSwarm.Node n = sim.start(h, b -> { }, e -> {
                        if (e instanceof EngineEvent.SwarmComplete) {
                            completions.add(net.now() - start);
                        }
                    });
                    if (aware) {
                        sim.await(n, n.engine.peerPreference(officesOf(names.get(o), groupOf)));
                    }
                    // as the control plane gives them (Holders.peersFor): every member of its office, then up to
                    // 30 others, the publisher among them
                    List<InetSocketAddress> peers = new ArrayList<>(officeMates.getOrDefault(names.get(o), List.of()));
                    List<InetSocketAddress> others = new ArrayList<>(everyone);
                    others.removeAll(peers);
                    Collections.shuffle(others, random);
                    peers.addAll(others.subList(0, Math.min(30, others.size())));
                    SimStorage storage = new SimStorage(content, false);
                    storages.add(storage);
                    sim.add(n, content.metainfo(), storage, SwarmOptions.defaults().withAnnounce(false)
                            .withPeers(peers));
                    officeMates.computeIfAbsent(names.get(o), k -> new ArrayList<>()).add(n.address());
                    everyone.add(n.address());
                    leecherNodes.add(n);
                }
            }
            int leechers = offices * perOffice;
            if (aware) { // as the control plane does: every engine knows the cluster's members by peer id
                List<dev.freshet.engine.wire.PeerId> ids = sim.nodes().stream().map(nd -> nd.peerId).toList();
                for (SimSwarm.Node nd : sim.nodes()) {
                    sim.await(nd, nd.engine.preferPeers(ids));
                }
            }
            long[] nextSample = {start};
            List<String> all0 = new ArrayList<>(List.of("hq"));
            all0.addAll(names);
            Map<String, long[]> lastOut = new HashMap<>();
            long simNanos = sim.runUntil(() -> {
                if (killAtSeconds >= 0 && !killed[0] && net.now() - start >= (long) (killAtSeconds * 1e9)) {
                    killed[0] = true;
                    if (hang) {
                        sim.freeze(leecherNodes.get(0));
                    } else {
                        leecherNodes.get(0).engine.close();
                    }
                }
                if (Boolean.getBoolean("sim.timeline") && net.now() >= nextSample[0]) {
                    nextSample[0] += 250_000_000L;
                    StringBuilder line = new StringBuilder(String.format("t=%.2f", net.now() / 1e9));
                    for (String o : all0) {
                        long outB = 0, inB = 0;
                        for (String other : all0) {
                            if (!other.equals(o)) {
                                outB += net.bytes(o, other);
                                inB += net.bytes(other, o);
                            }
                        }
                        long[] last = lastOut.computeIfAbsent(o, k -> new long[2]);
                        line.append(String.format(" %s out %3.0f%% in %3.0f%%", o, (outB - last[0]) * 100.0 / (WAN / 4), (inB - last[1]) * 100.0 / (WAN / 4)));
                        last[0] = outB;
                        last[1] = inB;
                    }
                    System.out.println(line);
                }
                return completions.size() == leechers - (killed[0] ? 1 : 0);
            }, 300_000_000_000L);
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
            for (int i = killed[0] ? 1 : 0; i < storages.size(); i++) {
                assertThat(storages.get(i).holdsTheContent()).as("node %d holds the content", i).isTrue();
                assertThat(storages.get(i).maxWritesOfABlock()).as("node %d stored a block twice", i).isEqualTo(1);
            }
            Map<String, Long> in = new LinkedHashMap<>();
            Map<String, Long> out = new LinkedHashMap<>();
            List<String> all = new ArrayList<>(List.of("hq"));
            all.addAll(names);
            for (String o : all) {
                long sumIn = 0;
                long sumOut = 0;
                for (String other : all) {
                    if (!other.equals(o)) {
                        sumIn += net.bytes(other, o);
                        sumOut += net.bytes(o, other);
                    }
                }
                in.put(o, sumIn);
                out.put(o, sumOut);
            }
            // what the engines say came from outside their office (SwarmStatus.wanDownloaded, the API's figure)
            Map<String, Long> engineIn = new LinkedHashMap<>();
            for (int i = killed[0] ? 1 : 0; i < leecherNodes.size(); i++) {
                SimSwarm.Node nd = leecherNodes.get(i);
                engineIn.merge(nd.host.group(), sim.status(nd, hash).wanDownloaded(), Long::sum);
            }
            return new Figures(length, simNanos, cpu, in, out, completions, engineIn);
        }
    }

    /** Rank 0 for peers of {@code office}, 1 for the cluster's other offices (how the control plane ranks them). */
    static PeerPreference officesOf(String office, Map<String, String> groupOf) {
        return (peerId, address) -> office.equals(groupOf.get(address.getAddress().getHostAddress())) ? 0 : 1;
    }

    @Test
    void eachPieceCrossesEachOfficeLinkAboutOnceAndThePublisherSendsItOnce() throws Exception {
        Figures blind = run(3, 3, 32, false, 5);
        Figures aware = run(3, 3, 32, true, 5);
        System.out.println("SIM offices 3x3, 32 MiB, every peer alike: " + blind.summary());
        System.out.println("SIM offices 3x3, 32 MiB, offices ranked:   " + aware.summary());
        for (int o = 0; o < 3; o++) {
            assertThat(aware.in("office" + o)).as("WAN bytes into office%d ÷ F", o).isLessThanOrEqualTo(1.10);
        }
        assertThat(aware.out("hq")).as("bytes out of the publisher's office ÷ F").isLessThanOrEqualTo(1.15);
        for (int o = 0; o < 3; o++) {
            long network = aware.wanIn().get("office" + o);
            long engines = aware.engineWanIn().get("office" + o);
            assertThat(engines).as("WAN payload office%d's engines report (the network also carried headers)", o)
                    .isBetween((long) (network * 0.95), network);
        }
        assertThat(blind.engineWanIn().get("office0")).as("peers not ranked: no WAN figure").isZero();
        assertThat(blind.in("office1")).as("without offices a piece crosses a link more than once").isGreaterThan(1.3);
    }

    /** A node dies half-way: its share of the office's WAN fetches falls to the others; little crosses twice. */
    @Test
    void whenAnOfficeNodeDiesItsPiecesGoToTheOthers() throws Exception {
        Figures f = run(3, 3, 32, true, 9, 1.2);
        System.out.println("SIM offices 3x3, 32 MiB, office0's first node killed at 1.2 s: " + f.summary());
        assertThat(f.in("office0")).as("WAN bytes into office0 ÷ F").isLessThanOrEqualTo(1.20);
        assertThat(f.completions()).hasSize(8);
    }

    /**
     * A node hangs half-way with its sockets open: the publisher stops waiting for the pieces it had started sending
     * it, and its office stops counting on it; everyone else completes. (Before, the publisher held such a piece for
     * good as "on its way" and every other node waited at n-1 pieces.)
     */
    @Test
    void whenAnOfficeNodeHangsTheOthersComplete() throws Exception {
        Figures f = run(3, 3, 32, true, 13, 0.6, true);
        System.out.println("SIM offices 3x3, 32 MiB, office0's first node hangs at 0.6 s: " + f.summary());
        assertThat(f.completions()).hasSize(8);
        assertThat(f.in("office0")).as("WAN bytes into office0 ÷ F").isLessThanOrEqualTo(1.20);
    }

    /**
     * Twenty offices of ten nodes (issue 12's simulated benchmark): the same WAN figures at scale. 8 MiB in the suite;
     * -Dsim.offices.mib=256 gives the figure.
     */
    @Test
    void twentyOfficesOfTen() throws Exception {
        long mib = Long.getLong("sim.offices.mib", 8);
        Figures f = run(20, 10, mib, true, 3);
        double maxIn = 0;
        for (int o = 0; o < 20; o++) {
            maxIn = Math.max(maxIn, f.in("office" + o));
        }
        System.out.printf("SIM offices 20x10, %d MiB: WAN in max %.2f F, out of hq %.2f F, time/bound %.2f, p99/bound %.2f,"
                + " %.1f s simulated, %.1f s CPU%n", mib, maxIn, f.out("hq"), f.timeOverBound(), f.p99OverBound(),
                f.simNanos() / 1e9, f.cpuNanos() / 1e9);
        System.out.println("SIM offices 20x10, WAN in ÷ F per office: " + f.wanIn().values().stream().map(v -> String.format("%.2f", v / (double) f.length())).toList());
        assertThat(maxIn).as("WAN bytes into the busiest office ÷ F").isLessThanOrEqualTo(1.10);
        assertThat(f.out("hq")).as("bytes out of the publisher's office ÷ F").isLessThanOrEqualTo(1.15);
    }
}

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

    /**
     * A lab: hq holds the publisher and {@code hqLeechers} more nodes, {@code offices} offices of {@code perOffice}
     * nodes each; every office's link {@code wan} bytes/s each way with 10 ms to the core, every host's NIC
     * {@code nic}, 1 ms inside an office. {@code leanBuffers}: each engine's connections get the smallest buffers
     * the engine allows ({@code EngineConfig.Builder.connectionBuffers}), so that thousands of engines fit in one JVM.
     */
    record Lab(int offices, int perOffice, int hqLeechers, long length, int pieceLength, long wan, long nic,
               boolean aware, long seed, double killAtSeconds, boolean hang, boolean leanBuffers) {
        static Lab of(int offices, int perOffice, long mib, boolean aware, long seed) {
            return new Lab(offices, perOffice, 0, mib << 20, 256 * 1024, WAN, NIC, aware, seed, -1, false, false);
        }

        Lab killingAt(double seconds, boolean hangInstead) {
            return new Lab(offices, perOffice, hqLeechers, length, pieceLength, wan, nic, aware, seed, seconds,
                    hangInstead, leanBuffers);
        }

        void tune(dev.freshet.engine.swarm.EngineConfig.Builder b) {
            if (leanBuffers) {
                int least = dev.freshet.engine.swarm.EngineConfig.ONE_BLOCK_MESSAGE;
                b.connectionBuffers(2 * least, least + 1024);
            }
        }
    }

    record Figures(long length, long wan, long simNanos, long cpuNanos, Map<String, Long> wanIn,
                   Map<String, Long> wanOut, List<Long> completions, Map<String, Long> engineWanIn) {
        double in(String office) {
            return wanIn.get(office) / (double) length;
        }

        double out(String office) {
            return wanOut.get(office) / (double) length;
        }

        double bound() {
            return length / (double) wan * 1e9;
        }

        double timeOverBound() {
            return simNanos / bound();
        }

        double p99OverBound() {
            return percentileOverBound(0.99);
        }

        /** WAN bytes into the office that took the most, hq aside, ÷ F. */
        double busiestOfficeIn() {
            return wanIn.keySet().stream().filter(o -> !o.equals("hq")).mapToDouble(this::in).max().orElse(0);
        }

        /** The completion time below which a share {@code p} of the copies completed (nearest rank), ÷ the bound. */
        double percentileOverBound(double p) {
            List<Long> sorted = new ArrayList<>(completions);
            Collections.sort(sorted);
            return sorted.get((int) Math.ceil(sorted.size() * p) - 1) / bound();
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
        return run(Lab.of(offices, perOffice, mib, aware, seed));
    }

    /** As above; {@code killAtSeconds} ≥ 0: office0's first node dies then (its engine closes every socket at once). */
    static Figures run(int offices, int perOffice, long mib, boolean aware, long seed, double killAtSeconds)
            throws Exception {
        return run(Lab.of(offices, perOffice, mib, aware, seed).killingAt(killAtSeconds, false));
    }

    /** As above; {@code hang}: the node stops instead of dying, its sockets left open (a process that hangs). */
    static Figures run(int offices, int perOffice, long mib, boolean aware, long seed, double killAtSeconds, boolean hang)
            throws Exception {
        return run(Lab.of(offices, perOffice, mib, aware, seed).killingAt(killAtSeconds, hang));
    }

    static Figures run(Lab lab) throws Exception {
        int offices = lab.offices();
        int perOffice = lab.perOffice();
        boolean aware = lab.aware();
        long seed = lab.seed();
        double killAtSeconds = lab.killAtSeconds();
        boolean hang = lab.hang();
        long wan = lab.wan();
        long nic = lab.nic();
        // sim.slotMicros: longer slots for runs of thousands of nodes (fewer rounds; latencies rounded up to a slot)
        SimNetwork net = new SimNetwork(Duration.ofNanos(Long.getLong("sim.slotMicros", 1000) * 1000))
                .fairShare(Boolean.getBoolean("sim.fairLinks"))
                .group("hq", Duration.ofMillis(1)).wan("hq", wan, Duration.ofMillis(10));
        List<String> names = new ArrayList<>();
        for (int o = 0; o < offices; o++) {
            String name = "office" + o;
            names.add(name);
            net.group(name, Duration.ofMillis(1)).wan(name, wan, Duration.ofMillis(10));
        }
        long length = lab.length();
        SimStorage.Content content = new SimStorage.Content("artifact.bin", length, lab.pieceLength(), seed);
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        Map<String, String> groupOf = new HashMap<>();
        List<Long> completions = new ArrayList<>();
        List<SimStorage> storages = new ArrayList<>();
        List<SimSwarm.Node> leecherNodes = new ArrayList<>();
        boolean[] killed = {false};
        try (SimSwarm sim = new SimSwarm(net, seed)) {
            SimHost hq = net.host("127.0.1.1", "hq", nic, nic);
            groupOf.put(hq.ip(), "hq");
            SimSwarm.Node publisher = sim.start(hq, lab::tune, e -> { });
            if (aware) {
                sim.await(publisher, publisher.engine.peerPreference(officesOf("hq", groupOf)));
            }
            SwarmOptions publishing = SwarmOptions.defaults().withAnnounce(false).trusted();
            InfoHash hash = sim.add(publisher, content.metainfo(), new SimStorage(content, true),
                    aware ? publishing.asFirstSeed() : publishing);
            Random random = new Random(seed);
            List<InetSocketAddress> everyone = new ArrayList<>(List.of(publisher.address()));
            Map<String, List<InetSocketAddress>> officeMates = new HashMap<>();
            officeMates.put("hq", new ArrayList<>(List.of(publisher.address())));
            long start = net.now();
            List<String> leecherOffices = new ArrayList<>(names);
            if (lab.hqLeechers() > 0) {
                leecherOffices.add(0, "hq");
            }
            for (String office : leecherOffices) {
                boolean inHq = office.equals("hq");
                for (int i = 0; i < (inHq ? lab.hqLeechers() : perOffice); i++) {
                    String ip = inHq ? "127.0.1." + (2 + i) : "127.0." + (2 + names.indexOf(office)) + "." + (1 + i);
                    SimHost h = net.host(ip, office, nic, nic);
                    groupOf.put(h.ip(), office);
                    SimSwarm.Node n = sim.start(h, lab::tune, e -> {
                        if (e instanceof EngineEvent.SwarmComplete) {
                            completions.add(net.now() - start);
                        }
                    });
                    if (aware) {
                        sim.await(n, n.engine.peerPreference(officesOf(office, groupOf)));
                    }
                    // as the control plane gives them (Holders.peersFor): every member of its office, then up to
                    // 30 others, the publisher among them
                    List<InetSocketAddress> peers = new ArrayList<>(officeMates.getOrDefault(office, List.of()));
                    List<InetSocketAddress> others = new ArrayList<>(everyone);
                    others.removeAll(peers);
                    Collections.shuffle(others, random);
                    peers.addAll(others.subList(0, Math.min(30, others.size())));
                    SimStorage storage = new SimStorage(content, false);
                    storages.add(storage);
                    SwarmOptions fetching = SwarmOptions.defaults().withAnnounce(false).withPeers(peers);
                    // as the control plane starts it on a node of the publisher's office: once a seed, it shares
                    // the office's outside uplink with the publisher
                    sim.add(n, content.metainfo(), storage, aware && inHq ? fetching.asFirstSeed() : fetching);
                    officeMates.computeIfAbsent(office, k -> new ArrayList<>()).add(n.address());
                    everyone.add(n.address());
                    leecherNodes.add(n);
                }
            }
            int leechers = offices * perOffice + lab.hqLeechers();
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
            long[] nextProgress = {start};
            java.util.function.BooleanSupplier done = () -> {
                if (Boolean.getBoolean("sim.progress") && net.now() >= nextProgress[0]) {
                    nextProgress[0] += Long.getLong("sim.progressMillis", 1000) * 1_000_000L;
                    System.out.printf("SIM t=%.2f s: %d of %d copies complete, %.2f GB moved%s%n",
                            (net.now() - start) / 1e9, completions.size(), leechers, net.totalBytes() / 1e9,
                            Boolean.getBoolean("sim.hqDetail") ? hqNodes(sim, hash, length) : "");
                }
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
                        line.append(String.format(" %s out %3.0f%% in %3.0f%%", o, (outB - last[0]) * 100.0 / (wan / 4), (inB - last[1]) * 100.0 / (wan / 4)));
                        last[0] = outB;
                        last[1] = inB;
                    }
                    System.out.println(line);
                }
                return completions.size() == leechers - (killed[0] ? 1 : 0);
            };
            long simNanos;
            try {
                simNanos = sim.runUntil(done, Math.max(300_000_000_000L, (long) (20 * length / (double) wan * 1e9)));
            } catch (AssertionError stuck) { // say who is stuck and with what: a figure needs every copy
                StringBuilder why = new StringBuilder(stuck.getMessage() + ": " + completions.size() + " of "
                        + leechers + " complete; first incomplete:");
                int shown = 0;
                for (SimSwarm.Node nd : leecherNodes) {
                    dev.freshet.engine.swarm.SwarmStatus st = sim.status(nd, hash);
                    if (st.verifiedPieces() < st.pieceCount() && shown++ < 12) {
                        why.append(String.format("%n  %s %s: %s, %d/%d pieces, %d peers, %d pieces downloading",
                                nd.host.ip(), nd.host.group(), st.state(), st.verifiedPieces(), st.pieceCount(),
                                st.peers().size(), st.downloading().cardinality()));
                        if (shown == 1) { // what happened to its peers
                            nd.events.stream().filter(e -> e instanceof EngineEvent.PeerConnected
                                            || e instanceof EngineEvent.PeerDisconnected)
                                    .limit(40).forEach(e -> why.append("\n    ").append(e));
                        }
                    }
                }
                throw new AssertionError(why.toString(), stuck);
            }
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
            if (Boolean.getBoolean("sim.hqDetail")) { // who sent what out of hq
                System.out.println("SIM hq nodes, verified pieces/out to other offices ÷ F:" + hqNodes(sim, hash, length));
            }
            // what the engines say came from outside their office (SwarmStatus.wanDownloaded, the API's figure)
            Map<String, Long> engineIn = new LinkedHashMap<>();
            for (int i = killed[0] ? 1 : 0; i < leecherNodes.size(); i++) {
                SimSwarm.Node nd = leecherNodes.get(i);
                engineIn.merge(nd.host.group(), sim.status(nd, hash).wanDownloaded(), Long::sum);
            }
            return new Figures(length, wan, simNanos, cpu, in, out, completions, engineIn);
        }
    }

    /** Each hq node's verified pieces and bytes sent to other offices ÷ F: " ip pieces/out" per node. */
    private static String hqNodes(SimSwarm sim, InfoHash hash, long length) {
        StringBuilder b = new StringBuilder();
        for (SimSwarm.Node nd : sim.nodes()) {
            if (nd.host.group().equals("hq")) {
                var st = sim.status(nd, hash);
                b.append(String.format(" %s %d/%.2f", nd.host.ip(), st.verifiedPieces(),
                        st.byClass().otherOfficeOut() / (double) length));
            }
        }
        return b.toString();
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
     * The publisher's office has more nodes (as hq does in a real enterprise): they fetch the artifact over the LAN in
     * moments and are first seeds too, so together they send each piece out of hq about once. Before, each of them,
     * once complete, served every other office whatever it asked: hq's link carried 9 F out, each office took up to
     * 2.6 F in, and the distribution took 9 × F/W.
     */
    @Test
    void aPublishersOfficeOfSeveralNodesSendsEachPieceOutAboutOnce() throws Exception {
        Figures f = run(new Lab(8, 5, 4, 16L << 20, 256 * 1024, WAN, NIC, true, 11, -1, false, false));
        double maxIn = f.busiestOfficeIn();
        System.out.printf("SIM hq of 5 and 8 offices of 5, 16 MiB: out of hq %.2f F, WAN in max %.2f F, time/bound %.2f%n",
                f.out("hq"), maxIn, f.timeOverBound());
        assertThat(f.completions()).hasSize(44);
        assertThat(f.out("hq")).as("bytes out of the publisher's office ÷ F").isLessThanOrEqualTo(1.15);
        assertThat(maxIn).as("WAN bytes into the busiest office ÷ F").isLessThanOrEqualTo(1.15);
    }

    /**
     * Twenty offices of ten nodes (issue 12's simulated benchmark): the same WAN figures at scale. 8 MiB in the suite;
     * -Dsim.offices.mib=256 gives the figure.
     */
    @Test
    void twentyOfficesOfTen() throws Exception {
        long mib = Long.getLong("sim.offices.mib", 8);
        Figures f = run(20, 10, mib, true, 3);
        double maxIn = f.busiestOfficeIn();
        System.out.printf("SIM offices 20x10, %d MiB: WAN in max %.2f F, out of hq %.2f F, time/bound %.2f, p99/bound %.2f,"
                + " %.1f s simulated, %.1f s CPU%n", mib, maxIn, f.out("hq"), f.timeOverBound(), f.p99OverBound(),
                f.simNanos() / 1e9, f.cpuNanos() / 1e9);
        System.out.println("SIM offices 20x10, WAN in ÷ F per office: " + f.wanIn().values().stream().map(v -> String.format("%.2f", v / (double) f.length())).toList());
        assertThat(maxIn).as("WAN bytes into the busiest office ÷ F").isLessThanOrEqualTo(1.10);
        assertThat(f.out("hq")).as("bytes out of the publisher's office ÷ F").isLessThanOrEqualTo(1.15);
    }

    /**
     * Issue 14's scale run, a benchmark (src/bench/simulated-offices runs it; not part of the suite): 2,000 nodes in
     * 50 offices of 40 (hq: the publisher and 39 more), every office behind its own WAN link, each node completing
     * a copy. Prints p50, p99 and p99.9 of the completion times ÷ F/W beside Kraken's published 3 GB to 2,600 hosts
     * (1.0, 1.8, 2.2). Real engines, real bytes and hashes in virtual time: 2,000 copies of 3 GB would be 6 TB to
     * move and hash on one thread, so the run keeps a 3 GB artifact's shape, not its bytes (see the script).
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "sim.scale", matches = "true")
    void thousandsOfNodesInFiftyOffices() throws Exception {
        int offices = Integer.getInteger("sim.scale.offices", 50);
        int perOffice = Integer.getInteger("sim.scale.perOffice", 40);
        long length = Long.getLong("sim.scale.kib", 24 * 1024) << 10;
        int piece = Integer.getInteger("sim.scale.pieceKib", 32) << 10;
        long wan = Long.getLong("sim.scale.wanKbit", 100_000) * 125;
        long nic = Long.getLong("sim.scale.nicKbit", 1_000_000) * 125;
        Lab lab = new Lab(offices - 1, perOffice, perOffice - 1, length, piece, wan, nic, true,
                Long.getLong("sim.scale.seed", 7), -1, false, true);
        long wall = System.nanoTime();
        Figures f = run(lab);
        wall = System.nanoTime() - wall;
        double maxIn = f.busiestOfficeIn();
        System.out.printf("SIM scale: %d nodes in %d offices, %.1f MiB in %d pieces, WAN %.1f Mbit/s, NIC %.0f Mbit/s;"
                        + " F/W %.1f s simulated; links shared %s%n", offices * perOffice, offices, length / 1048576.0,
                (length + piece - 1) / piece, wan * 8 / 1e6, nic * 8 / 1e6, f.bound() / 1e9,
                Boolean.getBoolean("sim.fairLinks") ? "fairly (in turn)" : "by a rotating order");
        System.out.printf("SIM scale: completions %d; ÷ F/W: p50 %.2f, p99 %.2f, p99.9 %.2f, last %.2f"
                        + " (Kraken, 3 GB to 2,600 hosts: p50 1.0, p99 1.8, p99.9 2.2)%n", f.completions().size(),
                f.percentileOverBound(0.50), f.percentileOverBound(0.99), f.percentileOverBound(0.999),
                f.percentileOverBound(1.0));
        System.out.printf("SIM scale: WAN in, busiest office %.2f F; out of hq %.2f F; %.1f s simulated, %.0f s CPU,"
                + " %.0f s wall%n", maxIn, f.out("hq"), f.simNanos() / 1e9, f.cpuNanos() / 1e9, wall / 1e9);
        assertThat(f.completions()).hasSize(offices * perOffice - 1);
    }
}

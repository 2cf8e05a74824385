package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmStatus;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An office cut off from the WAN mid-way (issue 12, item 6; the WAN lab's {@code --cut}): hq publishes as first seed
 * to paris and berlin, two nodes each; once paris holds a quarter, its link goes down for 60 s. The first seed had
 * sent some pieces out only to paris (each piece out once); paris's connections neither close nor answer while it is
 * cut off. Berlin must still complete from hq during the cut, and paris once its link is back; every copy whole,
 * every block stored once.
 */
class OfficeCutSimulationTest {
    static final long WAN = 12_500_000;
    static final long NIC = 125_000_000;
    static final long LENGTH = 32L << 20;

    /** hq (the first seed), paris and berlin of two nodes each, every office behind its own 100 Mbit/s link. */
    record Lab(SimNetwork net, SimSwarm sim, InfoHash hash, int pieces, List<SimSwarm.Node> paris,
               List<SimSwarm.Node> berlin, List<SimStorage> storages) implements AutoCloseable {
        static Lab start(long seed, long parisNodeWanIn) throws Exception {
            SimNetwork net = new SimNetwork().group("hq", Duration.ofMillis(1)).wan("hq", WAN, Duration.ofMillis(10));
            for (String o : List.of("paris", "berlin")) {
                net.group(o, Duration.ofMillis(1)).wan(o, WAN, Duration.ofMillis(10));
            }
            SimStorage.Content content = new SimStorage.Content("artifact.bin", LENGTH, 256 * 1024, seed);
            Map<String, String> groupOf = new HashMap<>();
            SimSwarm sim = new SimSwarm(net, seed);
            SimHost hq = net.host("127.0.1.1", "hq", NIC, NIC);
            groupOf.put(hq.ip(), "hq");
            SimSwarm.Node publisher = sim.start(hq, b -> { }, e -> { });
            InfoHash hash = sim.add(publisher, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false).trusted().asFirstSeed());
            Map<String, List<SimSwarm.Node>> offices = new HashMap<>();
            List<InetSocketAddress> everyone = new ArrayList<>(List.of(publisher.address()));
            int o = 0;
            for (String office : List.of("paris", "berlin")) {
                o++;
                for (int i = 0; i < 2; i++) {
                    SimHost h = net.host("127.0." + (1 + o) + "." + (1 + i), office, NIC, NIC);
                    groupOf.put(h.ip(), office);
                    SimSwarm.Node n = sim.start(h, b -> { }, e -> { });
                    offices.computeIfAbsent(office, k -> new ArrayList<>()).add(n);
                    everyone.add(n.address());
                }
            }
            List<dev.freshet.engine.wire.PeerId> ids = sim.nodes().stream().map(n -> n.peerId).toList();
            for (SimSwarm.Node n : sim.nodes()) { // as the control plane sets them: ranks, members, WAN shares
                String office = groupOf.get(n.host.ip());
                sim.await(n, n.engine.peerPreference((peerId, address) ->
                        office.equals(groupOf.get(address.getAddress().getHostAddress())) ? 0 : 1));
                sim.await(n, n.engine.preferPeers(ids));
                if (office.equals("paris") && parisNodeWanIn > 0) {
                    sim.await(n, n.engine.setWanLimits(parisNodeWanIn, 0));
                }
            }
            List<SimStorage> storages = new ArrayList<>();
            for (SimSwarm.Node n : sim.nodes().subList(1, sim.nodes().size())) {
                SimStorage storage = new SimStorage(content, false);
                storages.add(storage);
                List<InetSocketAddress> peers = new ArrayList<>(everyone);
                peers.remove(n.address());
                sim.add(n, content.metainfo(), storage, SwarmOptions.defaults().withAnnounce(false).withPeers(peers));
            }
            return new Lab(net, sim, hash, content.metainfo().info().pieceCount(), offices.get("paris"),
                    offices.get("berlin"), storages);
        }

        boolean complete(List<SimSwarm.Node> nodes) {
            return nodes.stream().allMatch(n -> sim.status(n, hash).verifiedPieces() == pieces);
        }

        /** Every copy whole, every block stored once. */
        void assertCopies() {
            for (SimStorage s : storages) {
                assertThat(s.holdsTheContent()).isTrue();
                assertThat(s.maxWritesOfABlock()).isEqualTo(1);
            }
        }

        double bytes(String from, String to) {
            return net.bytes(from, to) / (double) LENGTH;
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    @Test
    void anOfficeCutOffDoesNotStarveTheOthers() throws Exception {
        try (Lab lab = Lab.start(11, 0)) {
            // until paris holds a quarter
            lab.sim().runUntil(() -> lab.paris().stream()
                    .anyMatch(n -> lab.sim().status(n, lab.hash()).verifiedPieces() * 4 >= lab.pieces()), 60_000_000_000L);
            lab.net().cut("paris", true);
            long cutAt = lab.net().now();
            long tookBerlin = lab.sim().runUntil(() -> lab.complete(lab.berlin()), 300_000_000_000L);
            System.out.printf("SIM cut: berlin complete %.1f s after paris was cut off (F/W %.1f s)%n", tookBerlin / 1e9,
                    LENGTH / (double) WAN);
            assertThat(tookBerlin).as("berlin completes while paris is still cut off (60 s)").isLessThan(60_000_000_000L);
            lab.sim().runUntil(() -> lab.net().now() - cutAt >= 60_000_000_000L, 120_000_000_000L);
            lab.net().cut("paris", false);
            lab.sim().runUntil(() -> lab.complete(lab.paris()), 300_000_000_000L);
            List<SimSwarm.Node> all = new ArrayList<>(lab.paris());
            all.addAll(lab.berlin());
            for (SimSwarm.Node n : all) { // bytes by class of peer, as the metrics show them
                SwarmStatus st = lab.sim().status(n, lab.hash());
                assertThat(st.byClass().sameOfficeIn() + st.byClass().otherOfficeIn()).isEqualTo(st.downloaded());
                assertThat(st.byClass().otherOfficeIn()).isEqualTo(st.wanDownloaded()).isPositive();
                assertThat(st.byClass().outsideIn()).isZero();
            }
            lab.assertCopies();
        }
    }

    /**
     * The same offices, nothing cut, paris held to a WAN budget of 20 Mbit/s in (10 per node) while berlin has its
     * whole 100: the pieces the first seed sent to paris reach paris slowly, and berlin must not take them all from
     * the publisher again. Measured: 1.22 F out of hq with the starvation rule and without it (so the rule is not
     * what costs it; issue 12's target is 1.10): held here so that it does not get worse.
     */
    @Test
    void aSlowOfficeCostsThePublisherLittleMore() throws Exception {
        try (Lab lab = Lab.start(12, 1_250_000)) {
            List<SimSwarm.Node> all = new ArrayList<>(lab.paris());
            all.addAll(lab.berlin());
            long took = lab.sim().runUntil(() -> lab.complete(all), 300_000_000_000L);
            double hqOut = lab.bytes("hq", "paris") + lab.bytes("hq", "berlin");
            System.out.printf("SIM slow office (paris 20 Mbit/s in): hq out %.2f F, berlin in %.2f F, paris in %.2f F,"
                    + " %.1f s%n", hqOut, lab.bytes("hq", "berlin") + lab.bytes("paris", "berlin"),
                    lab.bytes("hq", "paris") + lab.bytes("berlin", "paris"), took / 1e9);
            assertThat(hqOut).as("the publisher's uplink ÷ F").isLessThanOrEqualTo(1.25);
            lab.assertCopies();
        }
    }
}

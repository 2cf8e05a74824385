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

    @Test
    void anOfficeCutOffDoesNotStarveTheOthers() throws Exception {
        SimNetwork net = new SimNetwork().group("hq", Duration.ofMillis(1)).wan("hq", WAN, Duration.ofMillis(10));
        for (String o : List.of("paris", "berlin")) {
            net.group(o, Duration.ofMillis(1)).wan(o, WAN, Duration.ofMillis(10));
        }
        SimStorage.Content content = new SimStorage.Content("artifact.bin", 32L << 20, 256 * 1024, 11);
        Map<String, String> groupOf = new HashMap<>();
        try (SimSwarm sim = new SimSwarm(net, 11)) {
            SimHost hq = net.host("127.0.1.1", "hq", NIC, NIC);
            groupOf.put(hq.ip(), "hq");
            SimSwarm.Node publisher = sim.start(hq, b -> { }, e -> { });
            InfoHash hash = sim.add(publisher, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false).trusted().asFirstSeed());
            List<SimSwarm.Node> paris = new ArrayList<>();
            List<SimSwarm.Node> berlin = new ArrayList<>();
            List<SimStorage> storages = new ArrayList<>();
            List<InetSocketAddress> everyone = new ArrayList<>(List.of(publisher.address()));
            int o = 0;
            for (String office : List.of("paris", "berlin")) {
                o++;
                for (int i = 0; i < 2; i++) {
                    SimHost h = net.host("127.0." + (1 + o) + "." + (1 + i), office, NIC, NIC);
                    groupOf.put(h.ip(), office);
                    SimSwarm.Node n = sim.start(h, b -> { }, e -> { });
                    (office.equals("paris") ? paris : berlin).add(n);
                    everyone.add(n.address());
                }
            }
            List<SimSwarm.Node> all = new ArrayList<>(paris);
            all.addAll(berlin);
            List<dev.freshet.engine.wire.PeerId> ids = new ArrayList<>(List.of(publisher.peerId));
            all.forEach(n -> ids.add(n.peerId));
            for (SimSwarm.Node n : sim.nodes()) {
                String office = groupOf.get(n.host.ip());
                sim.await(n, n.engine.peerPreference((peerId, address) ->
                        office.equals(groupOf.get(address.getAddress().getHostAddress())) ? 0 : 1));
                sim.await(n, n.engine.preferPeers(ids));
            }
            for (SimSwarm.Node n : all) {
                SimStorage storage = new SimStorage(content, false);
                storages.add(storage);
                List<InetSocketAddress> peers = new ArrayList<>(everyone);
                peers.remove(n.address());
                sim.add(n, content.metainfo(), storage, SwarmOptions.defaults().withAnnounce(false).withPeers(peers));
            }
            int pieces = content.metainfo().info().pieceCount();
            // until paris holds a quarter
            sim.runUntil(() -> paris.stream().anyMatch(n -> sim.status(n, hash).verifiedPieces() * 4 >= pieces),
                    60_000_000_000L);
            net.cut("paris", true);
            long cutAt = net.now();
            long tookBerlin = sim.runUntil(() -> berlin.stream().allMatch(n -> complete(sim, n, hash, pieces)),
                    300_000_000_000L);
            System.out.printf("SIM cut: berlin complete %.1f s after paris was cut off (F/W %.1f s)%n", tookBerlin / 1e9,
                    (32 << 20) / (double) WAN);
            assertThat(tookBerlin).as("berlin completes while paris is still cut off (60 s)").isLessThan(60_000_000_000L);
            sim.runUntil(() -> net.now() - cutAt >= 60_000_000_000L, 120_000_000_000L);
            net.cut("paris", false);
            sim.runUntil(() -> paris.stream().allMatch(n -> complete(sim, n, hash, pieces)), 300_000_000_000L);
            for (SimSwarm.Node n : all) { // bytes by class of peer, as the metrics show them
                SwarmStatus st = sim.status(n, hash);
                assertThat(st.byClass().sameOfficeIn() + st.byClass().otherOfficeIn()).isEqualTo(st.downloaded());
                assertThat(st.byClass().otherOfficeIn()).isEqualTo(st.wanDownloaded()).isPositive();
                assertThat(st.byClass().outsideIn()).isZero();
            }
            for (SimStorage s : storages) {
                assertThat(s.holdsTheContent()).isTrue();
                assertThat(s.maxWritesOfABlock()).isEqualTo(1);
            }
        }
    }

    private static boolean complete(SimSwarm sim, SimSwarm.Node n, InfoHash hash, int pieces) {
        return sim.status(n, hash).verifiedPieces() == pieces;
    }
}

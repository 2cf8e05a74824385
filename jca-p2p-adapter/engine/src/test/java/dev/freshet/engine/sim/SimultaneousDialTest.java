package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes told of each other at the same moment dial each other at once (the control plane gives every member the
 * others' addresses each round). Each then holds two connections to one peer and must drop one; before, each side
 * dropped the one it had dialled, so both connections died, and again at each redial: the two never traded a byte.
 * Both sides must keep the same connection: the one dialled by the lower peer id.
 */
class SimultaneousDialTest {
    @Test
    void twoNodesThatDialEachOtherAtOnceKeepOneConnectionAndTrade() throws Exception {
        SimNetwork net = new SimNetwork().group("lan", Duration.ofMillis(1));
        SimStorage.Content content = new SimStorage.Content("a.bin", 4L << 20, 256 * 1024, 7);
        List<EngineEvent> disconnects = new ArrayList<>();
        try (SimSwarm sim = new SimSwarm(net, 7)) {
            SimSwarm.Node a = sim.start(net.host("127.0.3.1", "lan", 1_000_000_000L, 1_000_000_000L), b -> { },
                    e -> { if (e instanceof EngineEvent.PeerDisconnected) disconnects.add(e); });
            SimSwarm.Node b = sim.start(net.host("127.0.3.2", "lan", 1_000_000_000L, 1_000_000_000L), x -> { },
                    e -> { if (e instanceof EngineEvent.PeerDisconnected) disconnects.add(e); });
            List<InetSocketAddress> both = List.of(a.address(), b.address());
            // each holds half the pieces: they complete only by trading with each other
            SimStorage sa = new SimStorage(content, false);
            SimStorage sb = new SimStorage(content, false);
            sa.preload(i -> i % 2 == 0);
            sb.preload(i -> i % 2 == 1);
            InfoHash hash = sim.add(a, content.metainfo(), sa, SwarmOptions.defaults().withAnnounce(false).withPeers(both));
            sim.add(b, content.metainfo(), sb, SwarmOptions.defaults().withAnnounce(false).withPeers(both));
            sim.runUntil(() -> sim.status(a, hash).verifiedPieces() == 16 && sim.status(b, hash).verifiedPieces() == 16,
                    30_000_000_000L);
            assertThat(sa.holdsTheContent()).isTrue();
            assertThat(sb.holdsTheContent()).isTrue();
            assertThat(sim.status(a, hash).peers()).hasSize(1);
            assertThat(sim.status(b, hash).peers()).hasSize(1);
        }
    }
}

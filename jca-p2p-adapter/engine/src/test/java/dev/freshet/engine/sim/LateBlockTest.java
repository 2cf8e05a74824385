package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that says nothing for longer than the engine waits for it (a process paused, or one flow among hundreds on a
 * slow shared link) and then sends the blocks it was asked for: they are kept. The engine gives up on such a peer's
 * requests so that others may be asked, but bytes that arrive after all are what it wanted: dropping them cost the
 * sender's uplink for nothing, and when the sender was a first seed that sends each piece out once, the piece was
 * stuck until the starvation escape (a simulated 200 nodes in 20 offices: 81 pieces held by hq alone for 40 s).
 */
class LateBlockTest {
    @Test
    void blocksThatArriveAfterTheEngineStoppedWaitingForThemAreStoredNotFetchedAgain() throws Exception {
        long length = 4L << 20;
        SimNetwork net = new SimNetwork().group("lan", Duration.ofMillis(1));
        SimStorage.Content content = new SimStorage.Content("artifact.bin", length, 256 * 1024, 3);
        try (SimSwarm sim = new SimSwarm(net, 3)) {
            SimSwarm.Node seed = sim.start(net.host("127.0.1.1", "lan", 12_500_000, 12_500_000), b -> { }, e -> { });
            InfoHash hash = sim.add(seed, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false));
            SimSwarm.Node leecher = sim.start(net.host("127.0.1.2", "lan", 12_500_000, 12_500_000), b -> { }, e -> { });
            SimStorage storage = new SimStorage(content, false);
            sim.add(leecher, content.metainfo(), storage,
                    SwarmOptions.defaults().withAnnounce(false).withPeers(List.of(seed.address())));

            // the leecher has asked for blocks: the seed stops (its requests wait unread) past the leecher's patience
            sim.runUntil(() -> !sim.status(leecher, hash).downloading().isEmpty(), 30_000_000_000L);
            sim.freeze(seed);
            long frozenAt = net.now();
            sim.runUntil(() -> net.now() - frozenAt > 8_000_000_000L, 30_000_000_000L);
            sim.thaw(seed);
            sim.runUntil(() -> sim.status(leecher, hash).state() == SwarmState.SEEDING, 120_000_000_000L);

            assertThat(storage.holdsTheContent()).isTrue();
            assertThat(storage.maxWritesOfABlock()).isEqualTo(1);
            // every byte came once: the late blocks were stored, not dropped and asked for again
            assertThat(sim.status(leecher, hash).downloaded()).isEqualTo(length);
        }
    }
}

package dev.freshet.engine.sim;

import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A swarm that moves nothing says nothing: a node holding 10,000 idle swarms received 10,000 rate samples a second
 * (issue 14), each queued, dispatched and folded into a progress that had not changed.
 */
class IdleSwarmEventsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void rateSamplesFollowTheTransferAndStopOnceEverythingIsStill() throws Exception {
        SimNetwork net = new SimNetwork(Duration.ofMillis(1)).group("hq", Duration.ofMillis(1));
        SimStorage.Content content = new SimStorage.Content("artifact.bin", 2L << 20, 256 * 1024, 7);
        List<Long> seedSamples = new ArrayList<>();
        List<Boolean> done = new ArrayList<>();
        try (SimSwarm sim = new SimSwarm(net, 7)) {
            SimSwarm.Node seed = sim.start(net.host("127.0.1.1", "hq", 1_000_000, 1_000_000), b -> { }, e -> {
                if (e instanceof EngineEvent.RateSample) {
                    seedSamples.add(net.now());
                }
            });
            sim.add(seed, content.metainfo(), new SimStorage(content, true),
                    SwarmOptions.defaults().withAnnounce(false).trusted());
            SimSwarm.Node leecher = sim.start(net.host("127.0.1.2", "hq", 1_000_000, 1_000_000), b -> { }, e -> {
                if (e instanceof EngineEvent.SwarmComplete) {
                    done.add(true);
                }
            });
            sim.add(leecher, content.metainfo(), new SimStorage(content, false),
                    SwarmOptions.defaults().withAnnounce(false).withPeers(List.of(seed.address())));
            long start = net.now();
            sim.runUntil(() -> !done.isEmpty(), 60 * SECOND); // about 2 s at 1 MB/s
            long completed = net.now();
            sim.runUntil(() -> net.now() - completed > 60 * SECOND, 90 * SECOND);
            long transferSeconds = (completed - start) / SECOND;
            assertThat(seedSamples).as("a sample a second while it sends").hasSizeGreaterThanOrEqualTo((int) transferSeconds);
            // the rates, moving averages, fall to zero within half a minute of the end (0.6 a second: about 28 s from
            // 1 MB/s); from then on nothing changes and nothing is sent
            assertThat(seedSamples).as("samples after the swarm went still")
                    .noneMatch(t -> t > completed + 40 * SECOND);
        }
    }
}

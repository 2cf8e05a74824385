package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A network loop that dies (here: an {@link OutOfMemoryError} thrown on its thread) says so with
 * {@link EngineEvent.EngineStopped}, and every call after it fails at once with the reason. Before, the thread just
 * ended: every call waited for its timeout (30 s in the adapter) and the node looked alive meanwhile.
 */
class EngineStoppedTest {
    @TempDir
    Path dir;

    private final ExecutorService network = Executors.newSingleThreadExecutor();
    private final ExecutorService hashing = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        network.shutdownNow();
        hashing.shutdownNow();
    }

    @Test
    void aLoopThatDiesIsReportedAndCallsFailAtOnce() throws Exception {
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        AtomicBoolean thrown = new AtomicBoolean();
        Engine engine = Engine.start(EngineConfig.builder().build(network, hashing), e -> {
            events.add(e);
            if (e instanceof EngineEvent.SwarmStarted && thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("simulated: the heap is exhausted");
            }
        });
        try {
            TestData.write(dir.resolve("a"), 3, 100_000);
            Metainfo m = TestData.torrentOf(dir.resolve("a"), 16 * 1024);
            engine.addSwarm(m, dir, SwarmOptions.defaults().withAnnounce(false)).get(5, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> events.stream().anyMatch(e -> e instanceof EngineEvent.EngineStopped));
            EngineEvent.EngineStopped stopped = events.stream().filter(e -> e instanceof EngineEvent.EngineStopped)
                    .map(EngineEvent.EngineStopped.class::cast).findFirst().orElseThrow();
            assertThat(stopped.failed()).isTrue();
            assertThat(stopped.reason()).contains("OutOfMemoryError");

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> engine.statuses().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the engine stopped").hasMessageContaining("OutOfMemoryError");
            assertThat(System.nanoTime() - t0).as("fails at once, not at a timeout").isLessThan(TimeUnit.SECONDS.toNanos(2));
        } finally {
            engine.close();
        }
    }

    @Test
    void aClosedEngineSaysItStoppedWithoutFailure() throws Exception {
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        Engine engine = Engine.start(EngineConfig.builder().build(network, hashing), events::add);
        engine.close();
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.EngineStopped).singleElement()
                .satisfies(e -> assertThat(((EngineEvent.EngineStopped) e).failed()).isFalse());
    }
}

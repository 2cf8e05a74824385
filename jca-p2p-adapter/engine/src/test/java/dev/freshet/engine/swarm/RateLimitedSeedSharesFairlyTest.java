package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression: a seed with an upload limit served only the leecher that was first in line for each refill;
 * a second leecher starved (seen in the cluster test: 1025 pieces to one node, 0 from the seed to the other).
 */
class RateLimitedSeedSharesFairlyTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void aRateLimitedSeedSharesItsUploadAmongItsLeechers() throws Exception {
        TestData.write(dir.resolve("seed/data"), 31, 24_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        InfoHash hash = m.infoHash();
        EngineHarness.Node seed = harness.start(EngineHarness.config().limits(0, 4 << 20));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        // the leechers know only the seed, so everything they get comes from it
        EngineHarness.Node first = harness.start();
        first.add(m, dir.resolve("a"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(20)).until(() -> first.status(hash).downloaded() > 2_000_000);
        EngineHarness.Node second = harness.start();
        second.add(m, dir.resolve("b"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(20)).until(() -> second.status(hash).downloaded() > 0);

        long a0 = first.status(hash).downloaded();
        long b0 = second.status(hash).downloaded();
        Thread.sleep(3000);
        long a = first.status(hash).downloaded() - a0;
        long b = second.status(hash).downloaded() - b0;
        assertThat(a + b).as("the seed's limit is used").isGreaterThan(6_000_000);
        assertThat(b).as("second leecher got %d bytes while the first got %d", b, a).isGreaterThan(a / 2);
        assertThat(a).as("first leecher got %d bytes while the second got %d", a, b).isGreaterThan(b / 2);
    }
}

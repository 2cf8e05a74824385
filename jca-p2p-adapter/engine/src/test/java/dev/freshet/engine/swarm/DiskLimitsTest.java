package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue 14, item 4: downloads stop at a disk's high watermark or the node's quota and go on by themselves after. */
class DiskLimitsTest {
    private static final long GIB = 1L << 30;

    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void theHighWatermarkStopsTheLowOneLetsGoOn() {
        DiskLimits limits = new DiskLimits(90, 80, 0);
        // 100 GiB disk: fetching until 90 % is used, then only below 80 % again
        assertThat(limits.lacking(89 * GIB, 11 * GIB, 0, false)).isNull(); // 89 %
        assertThat(limits.lacking(90 * GIB, 10 * GIB, 0, false)).startsWith("disk 90 % full (high watermark 90 %)")
                .endsWith("goes on by itself below 80 %");
        assertThat(limits.lacking(85 * GIB, 15 * GIB, 0, true)).as("85 %: stopped, it waits for 80 %").isNotNull();
        assertThat(limits.lacking(80 * GIB - 1, 20 * GIB + 1, 0, true)).as("just below 80 %").isNull();
        assertThat(limits.lacking(0, 0, 0, false)).as("a file system of unknown use: no watermark").isNull();
        // as df reckons: 25 GiB used and 77 GiB usable on a 252 GiB disk is 25 % full, whatever holds the rest
        assertThat(new DiskLimits(30, 20, 0).lacking(25 * GIB, 77 * GIB, 0, false)).isNull();
        assertThat(DiskLimits.NONE.lacking(100 * GIB, 0, Long.MAX_VALUE, false)).isNull();
        assertThat(DiskLimits.NONE.any()).isFalse();
    }

    @Test
    void theQuotaCountsWhatTheNodeHolds() {
        DiskLimits quota = new DiskLimits(100, 100, 4L << 20);
        assertThat(quota.lacking(50 * GIB, 50 * GIB, (4L << 20) - 1, false)).isNull();
        assertThat(quota.lacking(50 * GIB, 50 * GIB, 4L << 20, false)).isEqualTo("quota reached: the node holds 4 MiB "
                + "of its 4 MiB: fetching stops; goes on by itself once it holds less");
    }

    @Test
    void limitsThatCannotHoldAreRefused() {
        assertThatThrownBy(() -> new DiskLimits(80, 90, 0)).hasMessageContaining("low <= high");
        assertThatThrownBy(() -> new DiskLimits(101, 80, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DiskLimits(90, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DiskLimits(90, 80, -1)).hasMessageContaining("negative");
    }

    @Test
    void aDownloadStopsAtTheQuotaKeepsWhatItVerifiedAndGoesOnWhenTheQuotaIsRaised() throws Exception {
        TestData.write(dir.resolve("seed/data"), 31, 12_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().limits(0, 2 << 20)); // 6 s for the whole
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        EngineHarness.Node leech = harness.start();
        long quota = 3L << 20;
        leech.engine.setDiskLimits(new DiskLimits(100, 100, quota)).get(5, TimeUnit.SECONDS);
        InfoHash hash = leech.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));

        await().atMost(Duration.ofSeconds(30)).until(() -> leech.status(hash).state() == SwarmState.STALLED);
        SwarmStatus stalled = leech.status(hash);
        assertThat(stalled.error()).startsWith("quota reached");
        assertThat(stalled.verifiedBytes()).isGreaterThanOrEqualTo(quota)
                .as("checked each second: at most a second of the seed's 2 MiB/s beyond the quota")
                .isLessThan(quota + (3L << 20));
        assertThat(stalled.peers()).isEmpty();
        Thread.sleep(2500);
        assertThat(leech.status(hash).verifiedBytes()).as("nothing fetched while stalled").isEqualTo(stalled.verifiedBytes());

        leech.engine.setDiskLimits(DiskLimits.NONE).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> leech.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }

    /**
     * A quota set while the node already holds data counts that data from the moment it is set: a download that
     * starts right after it (within the second, and fast: loopback, no rate limit) stops at the quota. The held total
     * was once summed only each second and only while a quota was set, so a download in that first second saw the
     * node holding nothing and ran to the end (DiskLimitsIT failed in CI so).
     */
    @Test
    void aQuotaSetJustNowCountsWhatTheNodeHeldBefore() throws Exception {
        TestData.write(dir.resolve("seed/first"), 51, 6_000_000);
        TestData.write(dir.resolve("seed/second"), 52, 12_000_000);
        Metainfo first = TestData.torrentOf(dir.resolve("seed/first"), 256 * 1024);
        Metainfo second = TestData.torrentOf(dir.resolve("seed/second"), 256 * 1024);
        EngineHarness.Node seed = harness.start();
        seed.add(first, dir.resolve("seed"), SwarmOptions.defaults());
        seed.add(second, dir.resolve("seed"), SwarmOptions.defaults());
        EngineHarness.Node leech = harness.start();
        InfoHash held = leech.add(first, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(30)).until(() -> leech.status(held).state() == SwarmState.SEEDING);
        Thread.sleep(2200); // seconds go by without a quota

        long quota = 6_000_000L + (1L << 20);
        leech.engine.setDiskLimits(new DiskLimits(100, 100, quota)).get(5, TimeUnit.SECONDS);
        InfoHash hash = leech.add(second, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(30)).until(() -> leech.status(hash).state() == SwarmState.STALLED
                || leech.status(hash).state() == SwarmState.SEEDING);
        SwarmStatus s = leech.status(hash);
        assertThat(s.state()).as("stopped by the quota: " + s.error()).isEqualTo(SwarmState.STALLED);
        assertThat(s.error()).startsWith("quota reached");
        assertThat(s.verifiedBytes()).as("one piece past the quota at most").isLessThan((1L << 20) + 256 * 1024);
    }

    @Test
    void aDownloadStopsAtTheHighWatermarkOfItsRealFileSystem() throws Exception {
        Files.createDirectories(dir.resolve("leech"));
        FileStore store = Files.getFileStore(dir.resolve("leech"));
        long inUse = store.getTotalSpace() - store.getUnallocatedSpace();
        int used = (int) Math.floor(100.0 * inUse / (inUse + store.getUsableSpace()));
        Assumptions.assumeTrue(used >= 2, "the temporary directory's file system is " + used + " % used");
        TestData.write(dir.resolve("seed/data"), 41, 6_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().limits(0, 1 << 20));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        EngineHarness.Node leech = harness.start();
        // the file system is fuller than the high watermark already: the download stops within a second
        leech.engine.setDiskLimits(new DiskLimits(used, 1, 0)).get(5, TimeUnit.SECONDS);
        InfoHash hash = leech.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(30)).until(() -> leech.status(hash).state() == SwarmState.STALLED);
        assertThat(leech.status(hash).error()).contains("(high watermark " + used + " %)").contains("below 1 %");
        assertThat(leech.events(EngineEvent.SwarmStalled.class)).isNotEmpty();

        leech.engine.setDiskLimits(DiskLimits.NONE).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> leech.has(EngineEvent.SwarmComplete.class, e -> true));
        assertThat(leech.status(hash).error()).isNull();
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }
}

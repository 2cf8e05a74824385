package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResumeAndLimitsTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void aRestartedLeecherResumesFromItsVerifiedPiecesAndRefetchesADamagedOne() throws Exception {
        TestData.write(dir.resolve("seed/data"), 11, 12_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        int pieces = m.info().pieceCount();
        EngineHarness.Node seed = harness.start(EngineHarness.config().limits(0, 4 << 20)); // slow enough to stop midway
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());

        EngineHarness.Node first = harness.start();
        InfoHash hash = first.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(60)).until(() -> first.events(EngineEvent.PieceVerified.class).size() >= pieces / 3);
        first.close();
        int verifiedBefore = first.events(EngineEvent.PieceVerified.class).size();
        assertThat(verifiedBefore).isLessThan(pieces);

        // damage one verified piece on disk while the node is down
        int damaged = first.events(EngineEvent.PieceVerified.class).get(0).piece();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("leech/data/file0").toFile(), "rw")) {
            long at = (long) damaged * m.info().pieceLength() + 1000;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }

        seed.engine.setGlobalLimits(0, 0).get(5, TimeUnit.SECONDS);
        EngineHarness.Node second = harness.start();
        second.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(60)).until(() -> second.has(EngineEvent.SwarmComplete.class, e -> true));

        EngineEvent.SwarmStarted started = second.events(EngineEvent.SwarmStarted.class).get(0);
        assertThat(started.verifiedPieces()).isEqualTo(verifiedBefore - 1);
        assertThat(second.events(EngineEvent.PieceVerified.class)).extracting(EngineEvent.PieceVerified::piece).contains(damaged);
        long downloadedAfterRestart = second.status(hash).downloaded();
        assertThat(downloadedAfterRestart).isLessThan(m.info().totalLength());
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }

    @Test
    void resumePiecesAreTakenWithoutHashingButOnlyWhileTheirFilesAreThere() throws Exception {
        TestData.write(dir.resolve("seed/data"), 21, 2_000_000, 1_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        int pieces = m.info().pieceCount();
        // piece 0 is damaged on disk, yet listed as verified by the resume data: it is trusted, not hashed
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("seed/data/file0").toFile(), "rw")) {
            f.seek(10);
            f.write(f.read() ^ 0xff);
        }
        java.util.BitSet resume = new java.util.BitSet();
        resume.set(0);
        resume.set(pieces - 1); // lies in file1, which is then cut short: it must be checked, and fails
        resume.set(pieces + 5); // beyond the torrent: ignored
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("seed/data/sub/file1").toFile(), "rw")) {
            f.setLength(500_000);
        }
        EngineHarness.Node node = harness.start();
        node.add(m, dir.resolve("seed"), SwarmOptions.defaults().withResumePieces(resume));
        await().atMost(Duration.ofSeconds(20)).until(() -> node.has(EngineEvent.SwarmStarted.class, e -> true));
        java.util.BitSet verified = node.status(m.infoHash()).verified();
        assertThat(verified.get(0)).isTrue();
        assertThat(verified.get(pieces - 1)).isFalse();
        assertThat(verified.get(1)).isTrue(); // hashed and good
        assertThat(verified.length()).isLessThanOrEqualTo(pieces);

        EngineHarness.Node checked = harness.start();
        checked.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> checked.has(EngineEvent.SwarmStarted.class, e -> true));
        assertThat(checked.status(m.infoHash()).verified().get(0)).isFalse();
    }

    @Test
    void pausedWhileCheckingStaysPausedAndResumesOnRequest() throws Exception {
        TestData.write(dir.resolve("seed/data"), 14, 3_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        EngineHarness.Node seed = harness.start();
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        EngineHarness.Node leecher = harness.start();
        InfoHash hash = m.infoHash();
        // added and paused in one go on the network thread: the check is still running when pause arrives
        leecher.engine.addSwarm(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        leecher.engine.pause(hash).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> leecher.has(EngineEvent.SwarmStarted.class, e -> true));
        assertThat(leecher.status(hash).state()).isEqualTo(SwarmState.PAUSED);
        assertThat(leecher.status(hash).peers()).isEmpty();
        assertThat(leecher.events(EngineEvent.PieceVerified.class)).isEmpty();

        leecher.engine.resume(hash).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }

    @Test
    void uploadLimitIsKeptAndCanBeLiftedWhileRunning() throws Exception {
        TestData.write(dir.resolve("seed/data"), 12, 6 << 20);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        long limit = 2 << 20; // 2 MiB/s
        EngineHarness.Node seed = harness.start();
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        seed.engine.setSwarmLimits(hash, 0, limit).get(5, TimeUnit.SECONDS);
        EngineHarness.Node leecher = harness.start();
        long start = System.nanoTime();
        leecher.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));

        await().atMost(Duration.ofSeconds(30)).until(() -> leecher.status(hash).verifiedBytes() >= 2 << 20);
        double seconds = (System.nanoTime() - start) / 1e9;
        long verified = leecher.status(hash).verifiedBytes();
        // never faster than the limit allows (plus the bucket's quarter-second burst and one piece in flight)
        assertThat((double) verified).isLessThanOrEqualTo(limit * seconds + limit / 4.0 + m.info().pieceLength());

        seed.engine.setSwarmLimits(hash, 0, 0).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        assertThat(seed.status(hash).uploadLimit()).isZero();
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), m);
    }

    @Test
    void globalDownloadLimitSlowsTheLeecher() throws Exception {
        TestData.write(dir.resolve("seed/data"), 13, 4 << 20);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        long limit = 1 << 20;
        EngineHarness.Node seed = harness.start();
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        EngineHarness.Node leecher = harness.start(EngineHarness.config().limits(limit, 0));
        long start = System.nanoTime();
        leecher.add(m, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(30)).until(() -> leecher.status(hash).verifiedBytes() >= 1 << 20);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat((double) leecher.status(hash).verifiedBytes())
                .isLessThanOrEqualTo(limit * seconds + limit / 4.0 + 64 * 1024 + m.info().pieceLength());
        assertThat(Files.exists(dir.resolve("leech/data"))).isTrue();
    }
}

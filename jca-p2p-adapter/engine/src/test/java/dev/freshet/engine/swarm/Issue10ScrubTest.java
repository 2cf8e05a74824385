package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, case 3, while running: bytes flipped in a complete swarm's file (the disk rots, or someone edits
 * it) are found by the background scrub; the piece is no longer served, is fetched again from a peer, and the
 * file ends up correct. Before the scrub, the node served the damaged piece for as long as it ran.
 */
class Issue10ScrubTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void damageAtRestIsFoundByTheScrubAndRepairedFromPeers() throws Exception {
        TestData.write(dir.resolve("seed/a"), 31, 3_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().scrubRate(0));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        EngineHarness.Node node = harness.start(EngineHarness.config().scrubRate(8L << 20));
        InfoHash hash = node.add(m, dir.resolve("node"), SwarmOptions.defaults().withAnnounce(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", seed.address().getPort()))));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.has(EngineEvent.SwarmComplete.class, e -> true));

        // flip bytes in piece 20 of the node's copy, behind the engine's back
        int piece = 20;
        flip(dir.resolve("node/a/file0"), piece);
        await().atMost(Duration.ofSeconds(20)).until(() -> node.has(EngineEvent.PieceFailed.class,
                e -> ((EngineEvent.PieceFailed) e).piece() == piece
                        && ((EngineEvent.PieceFailed) e).contributors().contains("damaged at rest")));
        // reported as no longer verified (the catalog's resume data follows), then fetched again
        assertThat(node.events(EngineEvent.SwarmStarted.class)).anyMatch(s -> !s.verified().get(piece)
                && s.verifiedPieces() == m.info().pieceCount() - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> node.events(EngineEvent.SwarmComplete.class).size() == 2);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("node"), m);
        assertThat(node.status(hash).state()).isEqualTo(SwarmState.SEEDING);
    }

    /**
     * A swarm that is still being written is not scrubbed: its pieces were hashed as they arrived, and reading them
     * straight back (from the page cache, at that) tells nothing about the disk while it costs every downloading
     * node a second pass of SHA-1 over what it fetched. Once the swarm has been at rest for
     * {@link Swarm#SCRUB_AFTER_REST_NANOS}, the scrub goes over it as over any other. Bytes flipped in a verified
     * piece mid-download are therefore found after the download, not during it.
     */
    @Test
    void aSwarmBeingWrittenIsNotScrubbedUntilItRests() throws Exception {
        TestData.write(dir.resolve("seed/a"), 37, 3_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().scrubRate(0).limits(0, 600_000));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        EngineHarness.Node node = harness.start(EngineHarness.config().scrubRate(64L << 20));
        node.add(m, dir.resolve("node"), SwarmOptions.defaults().withAnnounce(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", seed.address().getPort()))));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.has(EngineEvent.PieceVerified.class, e -> true));
        int piece = node.events(EngineEvent.PieceVerified.class).get(0).piece();
        flip(dir.resolve("node/a/file0"), piece);
        // the scrub runs every second; the download (about 5 s at the seed's 600 kB/s) outlasts several of its rounds
        await().atMost(Duration.ofSeconds(60)).until(() -> node.has(EngineEvent.SwarmComplete.class, e -> true));
        assertThat(node.events(EngineEvent.PieceFailed.class)).as("scrubbed while being written").isEmpty();
        // at rest, it is scrubbed: the flipped piece is found and fetched again
        await().atMost(Duration.ofSeconds(30)).until(() -> node.has(EngineEvent.PieceFailed.class,
                e -> ((EngineEvent.PieceFailed) e).piece() == piece
                        && ((EngineEvent.PieceFailed) e).contributors().contains("damaged at rest")));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.events(EngineEvent.SwarmComplete.class).size() == 2);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("node"), m);
    }

    /**
     * A pass over a swarm is followed by a pause ({@link EngineConfig#DEFAULT_SCRUB_EVERY}), not by the next pass: at
     * 32 MiB/s back to back, a node holding 256 MiB re-read and re-hashed it every 8 s for as long as it ran, a third
     * of an idle node's CPU (and a disk's reads around the clock). Damage found by the first pass is repaired; bytes
     * flipped after that pass are not looked for again until the pause is over (a member's recheck, which a peer's
     * failed piece asks for, still comes at once).
     */
    @Test
    void aScrubPassIsFollowedByAPauseNotByTheNextPass() throws Exception {
        TestData.write(dir.resolve("seed/a"), 41, 3_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().scrubRate(0));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        EngineHarness.Node node = harness.start(EngineHarness.config().scrubRate(64L << 20));
        node.add(m, dir.resolve("node"), SwarmOptions.defaults().withAnnounce(false)
                .withPeers(List.of(new InetSocketAddress("127.0.0.1", seed.address().getPort()))));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.has(EngineEvent.SwarmComplete.class, e -> true));
        flip(dir.resolve("node/a/file0"), 3);
        // the first pass, once the swarm rests, finds it; the piece comes again from the seed
        await().atMost(Duration.ofSeconds(30)).until(() -> node.has(EngineEvent.PieceFailed.class,
                e -> ((EngineEvent.PieceFailed) e).piece() == 3));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.events(EngineEvent.SwarmComplete.class).size() == 2);
        flip(dir.resolve("node/a/file0"), 30);
        // back to back, passes of 3 MB at 64 MiB/s would find it within the 5 s rest and a second or two
        Thread.sleep(9_000);
        assertThat(node.events(EngineEvent.PieceFailed.class)).extracting(EngineEvent.PieceFailed::piece)
                .as("pieces failed after the second flip").containsExactly(3);
    }

    private static void flip(Path file, int piece) throws java.io.IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(piece * 64L * 1024 + 500);
            int b = f.read();
            f.seek(piece * 64L * 1024 + 500);
            f.write(b ^ 0xff);
        }
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, case 3, inside the cluster: a member whose copy rotted (its scrub has not reached the piece yet) serves
 * a bad piece to another member. The fetching engine names the cluster member among the failed piece's sources; the
 * holder, asked to {@link Engine#recheck recheck} that piece (the control plane passes the request on through the
 * grid), finds the damage at once, stops serving the piece and fetches it again. Before, the holder went on serving
 * the damaged piece until its scrub came round, possibly hours later on a large disk.
 */
class Issue10MemberRecheckTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void aMemberThatFailsAPieceFromAnotherNamesItAndTheHolderRechecksAndRepairsIt() throws Exception {
        TestData.write(dir.resolve("good/a"), 47, 2_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("good/a"), 64 * 1024);
        TestData.write(dir.resolve("holder/a"), 47, 2_000_000);
        EngineHarness.Node holder = harness.start(EngineHarness.config().scrubRate(0));
        EngineHarness.Node member = harness.start(EngineHarness.config().scrubRate(0));
        EngineHarness.Node outsider = harness.start(EngineHarness.config().scrubRate(0));
        Set<PeerId> cluster = Set.of(holder.engine.config().peerId(), member.engine.config().peerId());
        holder.engine.preferPeers(cluster).get(5, TimeUnit.SECONDS);
        member.engine.preferPeers(cluster).get(5, TimeUnit.SECONDS);

        InfoHash hash = holder.add(m, dir.resolve("holder"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> holder.status(hash).state() == SwarmState.SEEDING);
        // the holder's copy rots while it runs
        int piece = 7;
        flip(dir.resolve("holder/a/file0"), piece * 64L * 1024 + 333);

        // an outside seed with a bad copy of the same piece, also a source: it must not be named as a member
        TestData.write(dir.resolve("outsider/a"), 47, 2_000_000);
        outsider.add(m, dir.resolve("outsider"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> outsider.status(hash).state() == SwarmState.SEEDING);
        flip(dir.resolve("outsider/a/file0"), piece * 64L * 1024 + 333);

        member.add(m, dir.resolve("member"), SwarmOptions.defaults().withAnnounce(false)
                .withPeers(List.of(peer(holder), peer(outsider))));
        await().atMost(Duration.ofSeconds(30)).until(() -> member.has(EngineEvent.PieceFailed.class,
                e -> ((EngineEvent.PieceFailed) e).piece() == piece && !((EngineEvent.PieceFailed) e).members().isEmpty()));
        // the outsider's bad copy may fail too, but only the cluster's own node is ever named as a member
        assertThat(member.events(EngineEvent.PieceFailed.class)).allSatisfy(e -> assertThat(e.members())
                .isSubsetOf(holder.engine.config().peerId()));

        // what the control plane does with it: the holder is asked to recheck the piece
        holder.engine.recheck(hash, piece).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.has(EngineEvent.PieceFailed.class,
                e -> ((EngineEvent.PieceFailed) e).piece() == piece));
        assertThat(holder.status(hash).verifiedPieces()).isEqualTo(m.info().pieceCount() - 1);
        // a fellow member whose disk rotted is not banned for it (the outsider may well be)
        assertThat(member.events(EngineEvent.PeerBanned.class))
                .noneMatch(b -> b.peerId().equals(holder.engine.config().peerId().toString()));
        assertThat(holder.events(EngineEvent.SwarmStarted.class)).anyMatch(s -> !s.verified().get(piece));

        // a good seed appears: both end with the right bytes, nothing lost
        TestData.write(dir.resolve("seed/a"), 47, 2_000_000);
        EngineHarness.Node seed = harness.start(EngineHarness.config().scrubRate(0));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.status(hash).state() == SwarmState.SEEDING);
        holder.engine.addPeers(hash, List.of(peer(seed))).get(5, TimeUnit.SECONDS);
        member.engine.addPeers(hash, List.of(peer(seed))).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> holder.status(hash).state() == SwarmState.SEEDING
                && member.status(hash).state() == SwarmState.SEEDING);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("holder"), m);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("member"), m);
    }

    @Test
    void aRecheckOfAGoodPieceChangesNothingAndOfAnUnknownSwarmFails() throws Exception {
        TestData.write(dir.resolve("holder/a"), 5, 500_000);
        Metainfo m = TestData.torrentOf(dir.resolve("holder/a"), 64 * 1024);
        EngineHarness.Node holder = harness.start(EngineHarness.config().scrubRate(0));
        InfoHash hash = holder.add(m, dir.resolve("holder"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> holder.status(hash).state() == SwarmState.SEEDING);
        for (int i = 0; i < 100; i++) {
            holder.engine.recheck(hash, 3).get(5, TimeUnit.SECONDS);
        }
        holder.engine.recheck(hash, 1_000_000).get(5, TimeUnit.SECONDS); // no such piece: nothing to do
        Thread.sleep(500); // the rechecks run on the hashing pool; nothing may follow from them
        assertThat(holder.events(EngineEvent.PieceFailed.class)).isEmpty();
        assertThat(holder.status(hash).state()).isEqualTo(SwarmState.SEEDING);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> holder.engine.recheck(
                        InfoHash.of(new byte[20]), 0).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownSwarmException.class);
    }

    private static InetSocketAddress peer(EngineHarness.Node n) {
        return new InetSocketAddress("127.0.0.1", n.address().getPort());
    }

    private static void flip(Path file, long at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
    }
}

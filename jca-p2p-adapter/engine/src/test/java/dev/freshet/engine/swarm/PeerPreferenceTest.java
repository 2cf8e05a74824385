package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The request scheduler's seam for offices: a leecher that ranks one seed first (its own office, say) asks the
 * other seed for nothing while the first serves it, and turns to the other at once when the first stops.
 */
class PeerPreferenceTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void piecesComeFromTheBestRankedPeerThatHasThemAndFromTheNextWhenItStops() throws Exception {
        TestData.write(dir.resolve("near/a"), 9, 12_000_000);
        TestData.write(dir.resolve("far/a"), 9, 12_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("near/a"), 64 * 1024);
        // the near seed serves slowly, so that the far one is connected long before the download ends
        EngineHarness.Node near = harness.start(EngineHarness.config().limits(0, 3L << 20));
        EngineHarness.Node far = harness.start();
        InfoHash hash = near.add(m, dir.resolve("near"), SwarmOptions.defaults().withAnnounce(false));
        far.add(m, dir.resolve("far"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> near.status(hash).state() == SwarmState.SEEDING
                && far.status(hash).state() == SwarmState.SEEDING);

        EngineHarness.Node leech = harness.start();
        PeerId nearId = near.engine.config().peerId();
        leech.engine.peerPreference((id, address) -> id.equals(nearId) ? 0 : 1).get(5, TimeUnit.SECONDS);
        leech.add(m, dir.resolve("leech"), SwarmOptions.defaults().withAnnounce(false).withPeers(List.of(peer(near))));
        await().atMost(Duration.ofSeconds(20)).until(() -> leech.status(hash).verifiedPieces() > 5);
        leech.engine.addPeers(hash, List.of(peer(far))).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> leech.status(hash).peers().size() == 2);
        Thread.sleep(1500); // a second of scheduling with both connected
        assertThat(far.status(hash).uploaded()).as("the far seed is asked for nothing the near one has").isZero();
        assertThat(leech.status(hash).state()).isEqualTo(SwarmState.DOWNLOADING);

        // the near seed goes: the far one is asked at once, and the download completes
        near.engine.pause(hash).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> leech.status(hash).state() == SwarmState.SEEDING);
        assertThat(far.status(hash).uploaded()).isPositive();
        TestData.assertIdentical(dir.resolve("near"), dir.resolve("leech"), m);
    }

    /**
     * A seed whose every slot holds a member of another office (cluster members: never evicted as idle) still
     * takes a member of its own office, in the slot of one across the WAN. Before, the office mate was refused for
     * good: it never got a piece (seen failing here).
     */
    @Test
    void aPeerOfTheSameOfficeGetsTheSlotOfOneAcrossTheWan() throws Exception {
        TestData.write(dir.resolve("seed/a"), 11, 12_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().maxPeersPerSwarm(3));
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false).trusted());
        // slow takers (their own download capped), so that they are still there when the office mate comes
        List<EngineHarness.Node> far = List.of(harness.start(EngineHarness.config().limits(64 * 1024, 0)),
                harness.start(EngineHarness.config().limits(64 * 1024, 0)),
                harness.start(EngineHarness.config().limits(64 * 1024, 0)));
        EngineHarness.Node mate = harness.start();
        PeerId mateId = mate.engine.config().peerId();
        List<PeerId> members = new java.util.ArrayList<>(List.of(mateId));
        far.forEach(f -> members.add(f.engine.config().peerId()));
        seed.engine.preferPeers(members).get(5, TimeUnit.SECONDS);
        seed.engine.peerPreference((id, address) -> id.equals(mateId) ? 0 : 1).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < far.size(); i++) {
            far.get(i).add(m, dir.resolve("far" + i), SwarmOptions.defaults().withAnnounce(false)
                    .withPeers(List.of(peer(seed))));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seed.status(hash).peers().size() == 3);

        mate.add(m, dir.resolve("mate"), SwarmOptions.defaults().withAnnounce(false).withPeers(List.of(peer(seed))));
        // it knows only the seed: refused there, it would never get a piece
        await("the office mate is let in and served").atMost(Duration.ofSeconds(20))
                .until(() -> mate.status(hash).state() == SwarmState.SEEDING);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("mate"), m);
    }

    private static InetSocketAddress peer(EngineHarness.Node n) {
        return new InetSocketAddress("127.0.0.1", n.address().getPort());
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Whole swarms of real engines talking over loopback sockets in one JVM. */
class SwarmTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    /** File sizes that do not line up with 256 KiB pieces (one empty file, one tiny), 64 MiB + change in all. */
    private static final long[] SIZES = {13_000_001, 0, 7, 21_111_111, 33_000_000, 123_457};

    @Test
    void oneSeedAndFiveLeechersEndWithIdenticalCopies() throws Exception {
        Path source = dir.resolve("seed/artifact");
        TestData.write(source, 42, SIZES);
        Metainfo m = TestData.torrentOf(source, 256 * 1024);
        assertThat(m.info().totalLength()).isGreaterThanOrEqualTo(64L << 20);

        EngineHarness.Node seed = harness.start(EngineHarness.config().random(EngineHarness.random(1)));
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        List<EngineHarness.Node> leechers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leechers.add(harness.start(EngineHarness.config().random(EngineHarness.random(10 + i))));
        }
        for (int i = 0; i < leechers.size(); i++) {
            List<InetSocketAddress> peers = new ArrayList<>();
            peers.add(seed.address());
            for (int j = 0; j < i; j++) {
                peers.add(leechers.get(j).address());
            }
            leechers.get(i).add(m, dir.resolve("leech" + i), SwarmOptions.defaults().withPeers(peers));
        }

        await().atMost(Duration.ofMinutes(3)).until(() ->
                leechers.stream().allMatch(l -> l.has(EngineEvent.SwarmComplete.class, e -> true)));

        long uploadedByLeechers = 0;
        for (int i = 0; i < leechers.size(); i++) {
            TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech" + i), m);
            SwarmStatus s = leechers.get(i).status(hash);
            assertThat(s.progress()).isEqualTo(1.0);
            assertThat(s.state()).isEqualTo(SwarmState.SEEDING);
            assertThat(leechers.get(i).events(EngineEvent.PieceFailed.class)).isEmpty();
            uploadedByLeechers += s.uploaded();
        }
        // regression: a have queued while a block was half sent used to land inside the piece message
        for (EngineHarness.Node n : leechers) {
            assertNoProtocolErrors(n);
        }
        assertNoProtocolErrors(seed);
        // a swarm, not five downloads from one server: leechers served each other
        assertThat(uploadedByLeechers).isPositive();
        assertThat(seed.events(EngineEvent.PieceVerified.class)).isEmpty();
        assertThat(seed.events(EngineEvent.SwarmStarted.class)).singleElement()
                .satisfies(e -> assertThat(e.verifiedPieces()).isEqualTo(m.info().pieceCount()));
    }

    @Test
    void aPeerServingCorruptBlocksIsBannedAndEveryoneElseFinishesWithCorrectData() throws Exception {
        Path source = dir.resolve("seed/artifact");
        TestData.write(source, 7, SIZES);
        Metainfo m = TestData.torrentOf(source, 256 * 1024);

        EngineHarness.Node honest = harness.start(EngineHarness.config().random(EngineHarness.random(2)));
        InfoHash hash = honest.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        // the liar has the real data but flips a byte in every block it sends
        EngineHarness.Node liar = harness.start(EngineHarness.config().random(EngineHarness.random(3)));
        liar.add(m, new CorruptingStorage(new dev.freshet.engine.storage.FilePieceStorage(m.info(), dir.resolve("seed"))),
                SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(30)).until(() -> liar.has(EngineEvent.SwarmStarted.class, e -> true));
        String liarId = liar.engine.config().peerId().toString();

        List<EngineHarness.Node> leechers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EngineHarness.Node l = harness.start(EngineHarness.config().random(EngineHarness.random(20 + i)));
            List<InetSocketAddress> peers = new ArrayList<>(List.of(liar.address(), honest.address()));
            leechers.forEach(other -> peers.add(other.address()));
            l.add(m, dir.resolve("leech" + i), SwarmOptions.defaults().withPeers(peers));
            leechers.add(l);
        }

        await().atMost(Duration.ofMinutes(3)).until(() ->
                leechers.stream().allMatch(l -> l.has(EngineEvent.SwarmComplete.class, e -> true)));

        int bans = 0;
        for (int i = 0; i < leechers.size(); i++) {
            TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech" + i), m);
            List<EngineEvent.PeerBanned> banned = leechers.get(i).events(EngineEvent.PeerBanned.class);
            assertThat(banned).allSatisfy(b -> assertThat(b.peerId()).isEqualTo(liarId));
            bans += banned.size();
            if (!leechers.get(i).events(EngineEvent.PieceFailed.class).isEmpty()) {
                // whoever received bad data from the liar has banned it
                assertThat(banned).isNotEmpty();
            }
            assertThat(leechers.get(i).status(hash).peers()).noneMatch(p -> p.peerId().equals(liarId));
            // what the metrics show: failed pieces and banned peers, as the events told them
            SwarmStatus st = leechers.get(i).status(hash);
            assertThat(st.piecesFailed()).isEqualTo(leechers.get(i).events(EngineEvent.PieceFailed.class).size());
            assertThat(st.peersBanned()).isEqualTo(banned.size());
            // peers are not ranked here: every byte is from an outside peer
            assertThat(st.byClass().outsideIn()).isEqualTo(st.downloaded());
        }
        assertThat(bans).isPositive();
        assertNoProtocolErrors(honest);
    }

    @Test
    void withZeroCopyBlocksGoOutWithTransferToAndArriveIntact() throws Exception {
        Path source = dir.resolve("seed/artifact");
        TestData.write(source, 9, 9_000_001, 1, 5_555_555);
        Metainfo m = TestData.torrentOf(source, 64 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().zeroCopy(true));
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults());
        List<EngineHarness.Node> leechers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            EngineHarness.Node l = harness.start(EngineHarness.config().zeroCopy(true));
            l.add(m, dir.resolve("leech" + i), SwarmOptions.defaults().withPeers(List.of(seed.address())));
            leechers.add(l);
        }
        await().atMost(Duration.ofMinutes(1)).until(() ->
                leechers.stream().allMatch(l -> l.has(EngineEvent.SwarmComplete.class, e -> true)));
        for (int i = 0; i < leechers.size(); i++) {
            TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech" + i), m);
            assertNoProtocolErrors(leechers.get(i));
        }
    }

    static void assertNoProtocolErrors(EngineHarness.Node node) {
        assertThat(node.events(EngineEvent.PeerDisconnected.class))
                .noneMatch(d -> d.reason().startsWith("protocol error"));
    }
}

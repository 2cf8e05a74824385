package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.picker.PieceOrder;
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

/** A swarm told to fetch in order (a reader consuming the data as it arrives) verifies its first pieces first. */
class PieceOrderTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void aSequentialSwarmFetchesItsFirstPiecesFirst() throws Exception {
        TestData.write(dir.resolve("seed/a"), 5, 8_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
        EngineHarness.Node seed = harness.start(EngineHarness.config().limits(0, 4L << 20));
        InfoHash hash = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.status(hash).state() == SwarmState.SEEDING);
        EngineHarness.Node leech = harness.start();
        leech.add(m, dir.resolve("leech"), SwarmOptions.defaults().withAnnounce(false));
        leech.engine.pieceOrder(hash, PieceOrder.SEQUENTIAL).get(5, TimeUnit.SECONDS);
        leech.engine.addPeers(hash, List.of(new InetSocketAddress("127.0.0.1", seed.address().getPort())))
                .get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> leech.status(hash).state() == SwarmState.SEEDING);
        List<Integer> order = leech.events(EngineEvent.PieceVerified.class).stream().map(EngineEvent.PieceVerified::piece)
                .toList();
        // pieces are requested in order, a few in flight at once: each arrives near its place
        for (int i = 0; i < order.size(); i++) {
            assertThat(Math.abs(order.get(i) - i)).as("piece %d verified as number %d", order.get(i), i)
                    .isLessThanOrEqualTo(16);
        }
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two seeds have nothing to give each other: they connect at most once and do not dial each other again while both
 * seed. A seed that closed such a connection once redialled the other about every second for as long as both ran
 * (each dial's handshake reset its backoff): with thousands of swarms held by every node of a cluster, each a TLS
 * handshake, that churn took the network thread of every node (issue 14, thousands of swarms).
 */
class SeedsTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    @Test
    void twoSeedsDoNotKeepDiallingEachOther() throws Exception {
        TestData.write(dir.resolve("a/data"), 61, 1_000_000);
        TestData.write(dir.resolve("b/data"), 61, 1_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("a/data"), 64 * 1024);
        EngineHarness.Node a = harness.start();
        EngineHarness.Node b = harness.start();
        var hash = a.add(m, dir.resolve("a"), SwarmOptions.defaults().withPeers(List.of(b.address())));
        b.add(m, dir.resolve("b"), SwarmOptions.defaults().withPeers(List.of(a.address())));
        // the first connections (both dialled at once; an incoming one closed before its listen port was known is
        // dialled once more) settle within a few seconds
        Thread.sleep(4000);
        assertThat(a.status(hash).state()).isEqualTo(SwarmState.SEEDING);
        int settled = a.events(EngineEvent.PeerConnected.class).size();
        assertThat(settled).as("connections while settling").isLessThanOrEqualTo(3);
        Thread.sleep(6000);
        assertThat(a.events(EngineEvent.PeerConnected.class).size() - settled).as("connections in the next 6 s")
                .isZero();
    }
}

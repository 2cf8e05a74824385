package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, case 3 inside the cluster, end to end: a node's copy rots while it runs (its scrub is off here, as if it
 * were hours away from that piece). Another member fetches the artifact; the rotten piece fails its hash check
 * there, that member tells the holder through the grid, and the holder re-verifies the piece at once: it counts it
 * as missing and no longer serves it. Before, the holder went on offering the bad piece, and the fetching member
 * banned the cluster's own node after the second failure (on loopback the piece fails again before the holder can
 * hear of it): it then fetched nothing more from it, not even the good pieces.
 */
class Issue10MemberRecheckIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void aMemberThatFailsAPieceTellsTheHolderWhichStopsServingIt() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("member-recheck-" + System.nanoTime());
        Path published = work.resolve("published");
        Path artifact = Artifacts.write(published, "rots-at-hq", 31, 6_000_000);
        cluster.plan(work, 2);
        Map<String, String> noScrub = Map.of("freshet.scrub.rate", "0");
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString(),
                "freshet.scrub.rate", "0"));
        MicroNode paris = cluster.node(1, "paris", noScrub);
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris);

        Api.Reply pub = hq.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"on-demand\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");
        await().atMost(Duration.ofSeconds(30)).until(() -> progress(hq, hash) == 1.0);

        // one byte of hq's copy flips while hq runs and seeds it
        try (RandomAccessFile f = new RandomAccessFile(artifact.resolve("f0.bin").toFile(), "rw")) {
            f.seek(3_000_000);
            int b = f.read();
            f.seek(3_000_000);
            f.write(b ^ 0x01);
        }

        String magnet = hq.admin().get("/api/swarms/" + hash + "/magnet").json().getString("magnet");
        Api.Reply add = paris.admin().postJson("/api/swarms", "{\"magnet\":\"" + magnet + "\"}");
        assertThat(add.status()).as(add.body()).isEqualTo(201);
        long t0 = System.nanoTime();
        // paris fails the piece, asks hq, and hq finds its copy damaged: no longer complete, the piece to be fetched
        await().atMost(Duration.ofSeconds(60)).until(() -> progress(hq, hash) < 1.0);
        System.out.printf("TIME a rotten piece failed at another member was found at its holder in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        JsonObject atHq = hq.admin().get("/api/swarms/" + hash).json();
        assertThat(atHq.getString("state")).as(atHq.toString()).isEqualTo("downloading");
        // paris has everything else, verified, and nothing wrong counted as done
        await().atMost(Duration.ofSeconds(60)).until(() -> progress(paris, hash) == progress(hq, hash));
        Thread.sleep(3000);
        assertThat(progress(paris, hash)).isLessThan(1.0);
        assertThat(paris.admin().get("/api/swarms/" + hash).json().getString("state")).isEqualTo("downloading");
    }

    private static double progress(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 ? r.json().getJsonNumber("progress").doubleValue() : -1;
    }
}

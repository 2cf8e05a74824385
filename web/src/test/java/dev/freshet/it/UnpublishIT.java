package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, item 4: an admin takes a swarm out of the whole cluster. Three nodes hold it (one published it from a
 * server path, two fetched it by policy); the third is down when the admin unpublishes on the second. The first two
 * remove it at once (the fetched copy's data goes, the publisher's own files stay), the directory no longer lists it;
 * the third removes it when it comes back (killed the moment it marked its copy as going, it finishes at its next
 * start), and never puts it back in the directory, also after the whole cluster
 * restarted in between (the grid lives in memory: the nodes that recorded the unpublication put it back). Published
 * anew, the swarm is wanted again: the others fetch it again by its policy. A viewer is refused, an unknown or
 * malformed hash is a 4xx.
 */
class UnpublishIT {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void aSwarmTakenOutOfTheClusterGoesFromEveryNodeAlsoOneThatWasAway() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("unpublish-" + System.nanoTime());
        Path published = work.resolve("published");
        Path artifact = Artifacts.write(published, "build-41", 41, 5 * MIB + 3, MIB);
        Map<String, String> expected = Artifacts.digests(artifact);
        cluster.plan(work, 3);
        Map<String, String> roots = Map.of("freshet.publish.roots", published.toString());
        MicroNode n1 = cluster.node(0, "hq", roots);
        MicroNode n2 = cluster.node(1, "hq", Map.of());
        MicroNode n3 = cluster.node(2, "hq", Map.of());
        MicroCluster.startAll(Duration.ofSeconds(240), n1, n2, n3);

        Api.Reply pub = n1.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"all\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");
        await().atMost(Duration.ofSeconds(90)).until(() -> seeding(n2, hash) && seeding(n3, hash));
        Path copyOn2 = n2.downloaded("build-41");
        Path copyOn3 = n3.downloaded("build-41");
        assertThat(Artifacts.digests(copyOn3)).isEqualTo(expected);

        n3.kill(); // away while the swarm is taken out of the cluster
        assertThat(n2.viewer().delete("/api/cluster/swarms/" + hash).status()).as("a viewer may not").isEqualTo(403);
        assertThat(n2.admin().delete("/api/cluster/swarms/" + "0".repeat(40)).status()).isEqualTo(404);
        Api.Reply malformed = n2.admin().delete("/api/cluster/swarms/not-a-hash");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("40 hexadecimal digits");
        assertThat(n1.admin().get("/api/swarms/" + hash).status()).as("nothing changed").isEqualTo(200);

        Api.Reply gone = n2.admin().delete("/api/cluster/swarms/" + hash);
        assertThat(gone.status()).as(gone.body()).isEqualTo(200);
        assertThat(gone.json().getString("by")).isEqualTo("admin");
        assertThat(gone.json().getString("name")).isEqualTo("build-41");
        assertThat(n2.admin().get("/api/swarms/" + hash).status()).as("removed at once where it was asked").isEqualTo(404);
        assertThat(Files.exists(copyOn2)).as("the fetched copy's data is deleted").isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> n1.admin().get("/api/swarms/" + hash).status() == 404);
        assertThat(Artifacts.digests(artifact)).as("the publisher's own files stay").isEqualTo(expected);
        await().atMost(Duration.ofSeconds(10)).until(() -> !inDirectory(n1, hash));
        JsonObject listed = n1.viewer().get("/api/cluster/swarms/unpublished").array().getJsonObject(0);
        assertThat(listed.getString("infoHash")).isEqualTo(hash);

        // the whole cluster stops (the grid forgets), and the second node starts alone: the unpublication it
        // recorded is back in the grid
        n1.kill();
        n2.kill();
        n2.start().awaitReady(Duration.ofSeconds(240));
        assertThat(n2.viewer().get("/api/cluster/swarms/unpublished").array()).as("put back after a whole restart")
                .extracting(v -> v.asJsonObject().getString("infoHash")).containsExactly(hash);
        assertThat(inDirectory(n2, hash)).isFalse();
        // the node that was away comes back (with the first): it removes its copy and does not publish it again
        // ... and dies the moment it has marked its copy as going (kill -9 there: DroppedCopies' crash point)
        n1.start();
        n3.haltAtOnce("drop:after-mark").start();
        n1.awaitReady(Duration.ofSeconds(240));
        await().atMost(Duration.ofSeconds(240)).until(() -> !n3.isAlive());
        assertThat(n3.exitStatus()).as("it halted at the crash point, not for another reason")
                .isEqualTo(dev.freshet.control.CrashPoints.EXIT_STATUS);
        assertThat(Artifacts.digests(copyOn3)).as("nothing was deleted yet").isEqualTo(expected);
        // its next start finishes the rest: the copy's data goes, the swarm does not run, nobody lists it
        n3.start().awaitReady(Duration.ofSeconds(240));
        await().atMost(Duration.ofSeconds(60)).until(() -> n3.admin().get("/api/swarms/" + hash).status() == 404);
        assertThat(Files.exists(copyOn3)).as("the copy of the node that was away is deleted").isFalse();
        for (int i = 0; i < 10; i++) { // some rounds of every node: nobody puts it back
            Thread.sleep(1000);
            assertThat(inDirectory(n1, hash)).as("listed in the directory again").isFalse();
            assertThat(n2.admin().get("/api/swarms/" + hash).status()).isEqualTo(404);
        }

        // published anew (from the same files): wanted again, fetched again by its policy
        Api.Reply again = n1.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"all\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> seeding(n2, hash) && seeding(n3, hash));
        assertThat(Artifacts.digests(n2.downloaded("build-41"))).isEqualTo(expected);
        assertThat(n1.viewer().get("/api/cluster/swarms/unpublished").array()).isEmpty();
    }

    private static boolean seeding(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 && "seeding".equals(r.json().getString("state"));
    }

    private static boolean inDirectory(MicroNode node, String hash) throws Exception {
        return node.admin().get("/api/cluster").json().getJsonArray("swarms").stream()
                .anyMatch(s -> hash.equals(s.asJsonObject().getString("infoHash")));
    }
}

package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, case 5: a node whose data directory fills up during a download. Before the fix, the catalog (H2, on
 * the same disk) was closed by the failed write and every catalog call answered 500, while {@code /health} said
 * UP, until a restart, even after space returned. Now the swarm stalls with a clear reason, calls answer 503 (or
 * work), the health check tells the truth, and everything goes on by itself once there is room.
 * The disk is a real small file system (a 40 MiB tmpfs of the node's own, see {@link MicroNode#onSmallDisk}).
 */
class Issue10FullDiskIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void aFullDiskStallsTheSwarmAndEverythingGoesOnWhenSpaceReturns() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a tmpfs of the node's own needs root");
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("full-disk-" + System.nanoTime());
        Path published = work.resolve("published");
        Path big = Artifacts.write(published, "bigger-than-the-disk", 21, 64L << 20);
        cluster.plan(work, 2);
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString()));
        // the disk is filled by something else than the swarm's writes: no watermark stops the download before that
        MicroNode small = cluster.node(1, "hq", Map.of("freshet.disk.high-watermark", "100")).onSmallDisk("40m");
        MicroCluster.startAll(Duration.ofSeconds(240), hq, small);

        Api.Reply pub = hq.admin().postJson("/api/swarms", "{\"path\":\"" + big + "\",\"policy\":\"all\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");

        // the small node fetches it (policy all) until its disk is full: the swarm stalls, it does not fail
        await().atMost(Duration.ofSeconds(90)).until(() -> "stalled".equals(state(small, hash)));
        JsonObject stalled = small.admin().get("/api/swarms/" + hash).json();
        assertThat(stalled.getString("error")).contains("disk full").contains("goes on by itself");
        // whatever room is left goes too, so that the catalog's next write fails for certain
        Path filler = small.dataView().resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[64 * 1024];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device
        }
        // a change while the disk is full: refused with 503 (the catalog cannot write), never a bare 500
        // H2's store is append-only but reuses free pages first: a few writes may still fit, so write until one
        // cannot (at most 200 tries); every answer must be 200 or 503, never 500
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < 200 && !answers.contains(503); i++) {
            answers.add(small.admin().putJson("/api/settings", "{\"downloadLimit\":0,\"uploadLimit\":" + (1000 + i) + "}").status());
            answers.add(small.admin().get("/api/swarms").status());
        }
        System.out.println("answers while the disk is full: " + answers);
        assertThat(answers).as("answers while the disk is full").allMatch(s -> s == 200 || s == 503).contains(503);

        // space returns: the filler goes and the disk grows
        Files.delete(filler);
        small.growDisk("160m");
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).until(() -> complete(small, hash));
        System.out.printf("TIME full disk: after space returned, the stalled swarm completed in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertThat(Artifacts.digests(small.downloaded("bigger-than-the-disk"))).isEqualTo(Artifacts.digests(big));
        // the catalog works again without a restart: changes are taken and kept, the health check is UP
        await().atMost(Duration.ofSeconds(30)).until(() ->
                small.admin().putJson("/api/settings", "{\"downloadLimit\":0,\"uploadLimit\":0}").status() == 200);
        assertThat(small.admin().get("/api/settings").json().getJsonNumber("uploadLimit").longValue()).isZero();
        HttpResponse<String> health = Api.plain().send("GET", "http://127.0.0.1:" + small.httpPort + "/health/ready");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("freshet-catalog");
        JsonObject done = small.admin().get("/api/swarms/" + hash).json();
        assertThat(done.getString("state")).isEqualTo("seeding");
        assertThat(!done.containsKey("error") || done.isNull("error")).as(done.toString()).isTrue();
    }

    private static String state(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 ? r.json().getString("state") : "answer " + r.status();
    }

    private static boolean complete(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 && r.json().getJsonNumber("progress").doubleValue() == 1.0;
    }
}

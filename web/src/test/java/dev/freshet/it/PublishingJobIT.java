package dev.freshet.it;

import dev.freshet.engine.metainfo.Metainfo;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, publishing is a job: a large artifact answers 202 at once with the publication to follow; it hashes in
 * the background (here paced to 8 MiB/s so that it lasts), checkpointed; the node is killed (-9) half-way and, after
 * its restart, goes on from the checkpoint instead of from the start; the swarm it ends in is the artifact's, every
 * piece hash checked here against the data. Small artifacts still answer 201.
 */
class PublishingJobIT {
    private static final long SIZE = 48L << 20;

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void aLargePublicationHashesInTheBackgroundAndSurvivesAKill() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("publish-job-" + System.nanoTime());
        Path roots = work.resolve("published");
        Path big = Artifacts.write(roots, "vm-image", 21, SIZE);
        Path small = Artifacts.write(roots, "notes", 22, 300_000);
        cluster.plan(work, 1);
        MicroNode node = cluster.node(0, "hq", Map.of("freshet.publish.roots", roots.toString(),
                "freshet.publish.async-bytes", Long.toString(1 << 20),
                "freshet.publish.hash-rate", Long.toString(8 << 20)));
        MicroCluster.startAll(Duration.ofSeconds(240), node);

        // small: hashed within the call, as before
        Api.Reply quick = node.admin().postJson("/api/swarms", "{\"path\":\"" + small + "\"}");
        assertThat(quick.status()).as(quick.body()).isEqualTo(201);

        // large: 202 at once, with where to follow it
        long t0 = System.nanoTime();
        Api.Reply accepted = node.admin().postJson("/api/swarms", "{\"path\":\"" + big + "\"}");
        double answeredIn = (System.nanoTime() - t0) / 1e9;
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonObject job = accepted.json();
        String id = job.getString("id");
        assertThat(job.getString("state")).isEqualTo("hashing");
        String location = "/api/publications/" + id;
        System.out.printf("publication answered in %.3f s%n", answeredIn);

        // half-way (and a checkpoint written, every 2 s), kill -9
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonObject p = node.admin().get(location).json();
            return p.getInt("pieceCount") > 0 && p.getInt("piecesHashed") * 2 > p.getInt("pieceCount")
                    && p.getJsonNumber("bytesPerSecond").longValue() > 0;
        });
        JsonObject before = node.admin().get(location).json();
        assertThat(before.getJsonNumber("etaSeconds").longValue()).isGreaterThanOrEqualTo(0);
        Thread.sleep(2500); // a checkpoint past half-way
        node.kill();

        node.start().awaitReady(Duration.ofSeconds(240));
        JsonObject done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> node.admin().get(location).json(), p -> !p.getString("state").equals("hashing"));
        assertThat(done.getString("state")).as(done.toString()).isEqualTo("done");
        // it went on from the checkpoint: the restarted node says how many pieces it kept
        String log = Files.readString(work.resolve("node1/node-2.log"));
        Matcher kept = Pattern.compile("goes on with publication " + id + " of .* \\((\\d+) of (\\d+) pieces kept\\)")
                .matcher(log);
        assertThat(kept.find()).as("the restart's log names the publication").isTrue();
        int keptPieces = Integer.parseInt(kept.group(1));
        int count = Integer.parseInt(kept.group(2));
        System.out.printf("resumed with %d of %d pieces kept%n", keptPieces, count);
        assertThat(keptPieces).as("pieces the checkpoint kept").isGreaterThan(count / 3);

        // the swarm is the artifact's: every piece hash against the data; the publisher owns it
        String hash = done.getString("infoHash");
        JsonObject swarm = node.admin().get(done.getString("swarm")).json();
        assertThat(swarm.getString("state")).isEqualTo("seeding");
        assertThat(swarm.getString("owner")).isEqualTo("admin");
        Metainfo m = Metainfo.parse(node.admin().getBytes("/api/swarms/" + hash + "/torrent"));
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] piece = new byte[m.info().pieceLength()];
        try (InputStream in = Files.newInputStream(big.resolve("f0.bin"))) {
            for (int p = 0; p < m.info().pieceCount(); p++) {
                int n = in.readNBytes(piece, 0, m.info().pieceSize(p));
                sha1.update(piece, 0, n);
                assertThat(sha1.digest()).as("piece %d", p).isEqualTo(m.info().pieceHash(p));
            }
        }

        // bad input: a malformed id, an unknown one; a viewer may follow but not publish
        assertThat(node.admin().get("/api/publications/not-a-uuid").status()).isEqualTo(400);
        assertThat(node.admin().get("/api/publications/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(node.viewer().get(location).status()).isEqualTo(200);
        assertThat(node.viewer().postJson("/api/swarms", "{\"path\":\"" + big + "\"}").status()).isEqualTo(403);
        assertThat(node.admin().get("/api/publications?recent=10").array()).anyMatch(v -> v.asJsonObject()
                .getString("id").equals(id));

        // an upload as large, through the command line: hashed as it streams in (no second pass, so the 8 MiB/s
        // pace never applies), 202, followed by the command line to its swarm
        Path upload = Artifacts.write(work.resolve("to-upload"), "dataset", 23, 40L << 20).resolve("f0.bin");
        ProcessBuilder pb = new ProcessBuilder(Path.of("..", "src", "bin", "freshet").toAbsolutePath().normalize()
                .toString(), "publish", upload.toString(), "--policy", "on-demand")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(work.resolve("cli.err").toFile()).redirectOutput(work.resolve("cli.out").toFile());
        pb.environment().put("FRESHET_URL", "http://127.0.0.1:" + node.httpPort);
        pb.environment().put("FRESHET_USER", "admin");
        pb.environment().put("FRESHET_PASSWORD", MicroNode.ADMIN_PASSWORD);
        pb.environment().put("FRESHET_CONFIG", work.resolve("no-config").toString());
        Process cli = pb.start();
        assertThat(cli.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as(Files.readString(work.resolve("cli.err"))).isZero();
        String uploaded = Files.readString(work.resolve("cli.out")).lines().findFirst().orElseThrow();
        assertThat(uploaded).matches("[0-9a-f]{40}");
        assertThat(node.admin().get("/api/swarms/" + uploaded).json().getString("state")).isEqualTo("seeding");
        assertThat(Files.readString(work.resolve("node1/node-2.log")))
                .contains("f0.bin: its pieces were hashed as it arrived");
        JsonObject uploadJob = node.admin().get("/api/publications?recent=10").array().getValuesAs(JsonObject.class)
                .stream().filter(p -> uploaded.equals(p.getString("infoHash", null))).findFirst().orElseThrow();
        assertThat(uploadJob.getString("state")).isEqualTo("done");
    }
}

package dev.freshet.it;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, item 2: publishing by URL from a real HTTP server the test starts on loopback (the JDK's), allowed by the
 * node's configuration: the artifact is fetched, hashed and published with the URL as its web seed (BEP 19
 * {@code url-list}); redirects on the same origin are followed, to another host refused; an origin that answers an
 * error or sends fewer bytes than it said is a 502; schemes and hosts not allowed are refused; nothing refused is kept.
 */
class PublishByUrlIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void anArtifactPublishedFromAnHttpOriginNamesItAsItsWebSeed() throws Exception {
        byte[] artifact = new byte[2_000_003];
        new Random(51).nextBytes(artifact);
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = origin.getAddress().getPort();
        origin.createContext("/builds/app-1.0.bin", x -> {
            x.sendResponseHeaders(200, artifact.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(artifact);
            }
        });
        origin.createContext("/builds/tool-2.0.bin", x -> {
            x.sendResponseHeaders(200, artifact.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(artifact);
            }
        });
        origin.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/builds/app-1.0.bin");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        origin.createContext("/away", x -> {
            x.getResponseHeaders().add("Location", "http://localhost:" + port + "/builds/app-1.0.bin");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        origin.createContext("/liar", x -> { // says 2,000,003 bytes, sends 1,000 and hangs up
            x.sendResponseHeaders(200, artifact.length);
            x.getResponseBody().write(artifact, 0, 1000);
            x.getResponseBody().flush();
            x.close();
        });
        origin.createContext("/gone", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        origin.start();
        try {
            Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("by-url-" + System.nanoTime());
            cluster.plan(work, 1);
            MicroNode node = cluster.node(0, "hq", Map.of("freshet.publish.url-hosts", "127.0.0.1",
                    "freshet.publish.url-allow-loopback", "true"));
            MicroCluster.startAll(Duration.ofSeconds(180), node);
            String base = "http://127.0.0.1:" + port;

            Api.Reply r = node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/builds/app-1.0.bin\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            String hash = r.json().getString("infoHash");
            assertThat(r.json().getString("name")).isEqualTo("app-1.0.bin");
            assertThat(r.json().getString("state")).isEqualTo("seeding");
            Metainfo m = Metainfo.parse(node.admin().getBytes("/api/swarms/" + hash + "/torrent"));
            assertThat(m.urlList()).containsExactly(base + "/builds/app-1.0.bin");
            assertThat(node.admin().getBytes("/files/" + hash + "/app-1.0.bin")).isEqualTo(artifact);

            // a redirect on the same origin is followed; its name comes from the URL asked for
            r = node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/moved\",\"policy\":\"on-demand\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(node.admin().getBytes("/files/" + r.json().getString("infoHash") + "/moved")).isEqualTo(artifact);

            // the command line publishes by URL too
            Process cli = new ProcessBuilder(Path.of("..", "src", "bin", "freshet").toAbsolutePath().normalize().toString(),
                    "--url", "http://127.0.0.1:" + node.httpPort, "--password", MicroNode.ADMIN_PASSWORD, "publish",
                    base + "/builds/tool-2.0.bin", "--policy", "on-demand").redirectErrorStream(true).start();
            cluster.track(cli);
            String printed = new String(cli.getInputStream().readAllBytes());
            assertThat(cli.waitFor()).as(printed).isZero();
            assertThat(printed.lines().findFirst().orElseThrow()).matches("[0-9a-f]{40}");

            // refused, each with what to fix; nothing of them kept
            long kept = uploads(node);
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/away\"}"), 403,
                    "redirects to another host");
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/liar\"}"), 502, "origin");
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/gone\"}"), 502, "answered 404");
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"ftp://127.0.0.1/x\"}"), 400, "http://");
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"http://elsewhere.invalid/x\"}"), 403,
                    "not among the origins");
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/builds/app-1.0.bin\","
                    + "\"path\":\"/etc\"}"), 400, "one of");
            assertProblem(node.admin().postJson("/api/swarms", "{\"url\":\"" + base + "/builds/app-1.0.bin\","
                    + "\"policy\":\"everywhere\"}"), 400, "unknown policy");
            assertThat(uploads(node)).as("nothing refused is kept").isEqualTo(kept);
            assertThat(node.admin().get("/api/swarms").array()).hasSize(3);
        } finally {
            origin.stop(0);
        }
    }

    private static long uploads(MicroNode node) throws Exception {
        Path dir = node.dataView().resolve("uploads");
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    private static void assertProblem(Api.Reply r, int status, String mentions) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().getString("detail")).containsIgnoringCase(mentions);
    }
}

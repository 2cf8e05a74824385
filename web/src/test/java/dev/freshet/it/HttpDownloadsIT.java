package dev.freshet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, item 1: a swarm's files over plain HTTP from any node, with curl and wget. Paris does not hold the swarm
 * (policy on-demand): the first request, a range in the middle of a file, makes it fetch the swarm by P2P and stream
 * the range as its pieces are verified. Then the whole file with wget, conditional requests, a client that goes away
 * mid-way, and bad input (ranges it cannot give, '..', unknown hashes, credentials).
 */
class HttpDownloadsIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    record Run(int exit, String out, String err) {
    }

    @Test
    void aNodeServesASwarmsFilesOverHttpFetchingThemOnDemand() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("downloads-" + System.nanoTime());
        Path published = work.resolve("published");
        Path build = Artifacts.write(published, "build", 21, 9_000_003, 1_000);
        cluster.plan(work, 2);
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString()));
        MicroNode paris = cluster.node(1, "paris", Map.of());
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris);
        Api.Reply pub = hq.admin().postJson("/api/swarms", "{\"path\":\"" + build + "\",\"policy\":\"on-demand\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");
        Thread.sleep(3000); // a reconciliation round or more: paris does not fetch an on-demand swarm by itself
        assertThat(paris.admin().get("/api/swarms/" + hash).status()).isEqualTo(404);

        String base = "http://127.0.0.1:" + paris.httpPort + "/files/" + hash;
        String viewer = "viewer:" + MicroNode.VIEWER_PASSWORD;
        byte[] f0 = Files.readAllBytes(build.resolve("f0.bin"));

        // a range in the middle of a file paris does not have: fetched by P2P, streamed as pieces are verified
        Path part = work.resolve("part.bin");
        Path headers = work.resolve("part.headers");
        Run r = run("curl", "-sS", "-f", "-u", viewer, "-r", "4000000-4999999", "-o", part.toString(), "-D",
                headers.toString(), base + "/build/f0.bin");
        assertThat(r.exit()).as(r.err()).isZero();
        String h = Files.readString(headers);
        assertThat(h).startsWith("HTTP/1.1 206").containsIgnoringCase("Content-Range: bytes 4000000-4999999/9000003")
                .containsIgnoringCase("Content-Length: 1000000").containsIgnoringCase("ETag: \"" + hash + "-0\"");
        assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(f0, 4_000_000, 5_000_000));
        assertThat(paris.admin().get("/api/swarms/" + hash).status()).isEqualTo(200); // paris fetches it now

        // four clients at once ask paris for another artifact it does not hold: it crosses to paris once, not four times
        Path many = Artifacts.write(published, "many", 22, 6_000_007);
        Api.Reply pub2 = hq.admin().postJson("/api/swarms", "{\"path\":\"" + many + "\",\"policy\":\"on-demand\"}");
        assertThat(pub2.status()).as(pub2.body()).isEqualTo(201);
        String manyHash = pub2.json().getString("infoHash");
        List<Process> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(new ProcessBuilder("curl", "-sS", "-f", "-u", viewer, "-o", work.resolve("many-" + i).toString(),
                    "http://127.0.0.1:" + paris.httpPort + "/files/" + manyHash + "/many/f0.bin").start());
        }
        for (Process c : clients) {
            cluster.track(c);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(clients.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(clients.get(i).exitValue()).isZero();
            assertThat(Files.readAllBytes(work.resolve("many-" + i))).isEqualTo(Files.readAllBytes(many.resolve("f0.bin")));
        }
        long crossed = paris.admin().get("/api/swarms/" + manyHash).json().getJsonNumber("downloaded").longValue();
        System.out.printf("HTTP 4 clients of one node: the node took %.2f × the artifact from its peers%n",
                crossed / 6_000_007.0);
        assertThat(crossed).as("bytes paris took from peers for four clients").isLessThan((long) (6_000_007 * 1.1));

        // the whole file with wget (it sends the credentials after the node's challenge)
        Path whole = work.resolve("whole.bin");
        r = run("wget", "-q", "--user=viewer", "--password=" + MicroNode.VIEWER_PASSWORD, "-O", whole.toString(),
                base + "/build/f0.bin");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(whole)).isEqualTo(f0);
        // the last bytes of the other file, and its head
        r = run("curl", "-sS", "-f", "-u", viewer, "-H", "Range: bytes=-10", base + "/build/sub/f1.bin");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().getBytes(StandardCharsets.ISO_8859_1))
                .isEqualTo(Arrays.copyOfRange(Files.readAllBytes(build.resolve("sub/f1.bin")), 990, 1000));
        r = run("curl", "-sS", "-f", "-I", "-u", viewer, base + "/build/sub/f1.bin");
        assertThat(r.out()).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 1000")
                .containsIgnoringCase("Accept-Ranges: bytes").containsIgnoringCase("filename*=UTF-8''f1.bin");

        // conditional requests: the same ETag is 304; an If-Range of another copy gets the whole file
        assertThat(status("-u", viewer, "-H", "If-None-Match: \"" + hash + "-0\"", base + "/build/f0.bin")).isEqualTo(304);
        assertThat(status("-u", viewer, "-H", "If-Range: \"other\"", "-r", "0-9", base + "/build/f0.bin")).isEqualTo(200);
        assertThat(status("-u", viewer, "-H", "If-Range: \"" + hash + "-0\"", "-r", "0-9", base + "/build/f0.bin"))
                .isEqualTo(206);

        // a client that reads a little and goes away: the node stays well and serves the next one whole
        try (Socket s = new Socket("127.0.0.1", paris.httpPort)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /files/" + hash + "/build/f0.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(viewer.getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(100_000)).hasSize(100_000);
        }
        r = run("curl", "-sS", "-f", "-u", viewer, "-o", work.resolve("again.bin").toString(), base + "/build/f0.bin");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(work.resolve("again.bin"))).isEqualTo(f0);

        // bad input: a clear status and a problem document, nothing fetched or changed
        assertThat(status("-u", viewer, "-r", "9000003-", base + "/build/f0.bin")).isEqualTo(416);
        r = run("curl", "-sS", "-u", viewer, "-H", "Range: bytes=-0", "-D", "-", base + "/build/f0.bin");
        assertThat(r.out()).startsWith("HTTP/1.1 416").containsIgnoringCase("Content-Range: bytes */9000003")
                .contains("the file has 9000003 bytes");
        assertThat(status("-u", viewer, "--path-as-is", base + "/build/../build/f0.bin")).isEqualTo(400);
        assertThat(status("-u", viewer, base + "/build/nothing")).isEqualTo(404);
        assertThat(status("-u", viewer, "http://127.0.0.1:" + paris.httpPort + "/files/" + "ab".repeat(20) + "/x"))
                .isEqualTo(404);
        assertThat(status("-u", viewer, "http://127.0.0.1:" + paris.httpPort + "/files/not-a-hash/x")).isEqualTo(400);
        assertThat(status(base + "/build/f0.bin")).isEqualTo(401);
        assertThat(status("-u", "viewer:wrong", base + "/build/f0.bin")).isEqualTo(401);
        assertThat(status("-u", "admin:" + MicroNode.ADMIN_PASSWORD, "-X", "DELETE", base + "/build/f0.bin")).isEqualTo(403);

        // paris's own copy, fetched by P2P for these clients, is whole and identical
        await().atMost(Duration.ofSeconds(60)).until(() -> paris.admin().get("/api/swarms/" + hash).json()
                .getJsonNumber("progress").doubleValue() == 1.0);
        assertThat(Artifacts.digests(paris.downloaded("build"))).isEqualTo(Artifacts.digests(build));
    }

    private static int status(String... args) throws Exception {
        String[] cmd = new String[args.length + 5];
        cmd[0] = "curl";
        cmd[1] = "-sS";
        cmd[2] = "-o";
        cmd[3] = "/dev/null";
        cmd[4] = "-w%{http_code}";
        System.arraycopy(args, 0, cmd, 5, args.length);
        Run r = run(cmd);
        return Integer.parseInt(r.out().strip());
    }

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).start();
        byte[][] streams = new byte[2][];
        Thread err = new Thread(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                streams[1] = new byte[0];
            }
        });
        err.start();
        streams[0] = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        err.join();
        return new Run(p.exitValue(), new String(streams[0], StandardCharsets.ISO_8859_1),
                new String(streams[1], StandardCharsets.UTF_8));
    }
}

package dev.freshet.engine.swarm;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * BEP 19 web seeds (issue 17): a real HTTP server on loopback (the JDK's) serving a swarm's files with range requests.
 * A leecher with no peer fetches everything from it, for multi-file and single-file torrents; one with a fast peer
 * does not touch it; a web seed that serves other bytes than the torrent says fails its pieces, nothing of it is kept,
 * and a slow honest peer completes the copy.
 */
class WebSeedTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();
    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicLong served = new AtomicLong();
    private volatile boolean corrupt;

    /** Serves the files under {@code root} at {@code /<relative path>}, honouring one {@code Range: bytes=a-b}. */
    private String serve(Path root) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Pattern range = Pattern.compile("bytes=(\\d+)-(\\d+)");
        server.createContext("/", x -> {
            Path file = root.resolve(java.net.URLDecoder.decode(x.getRequestURI().getRawPath().substring(1),
                    java.nio.charset.StandardCharsets.UTF_8)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                x.sendResponseHeaders(404, -1);
                x.close();
                return;
            }
            byte[] all = Files.readAllBytes(file);
            String r = x.getRequestHeaders().getFirst("Range");
            Matcher m = r == null ? null : range.matcher(r);
            byte[] body = all;
            int status = 200;
            if (m != null && m.matches()) {
                int a = Integer.parseInt(m.group(1));
                int b = Math.min(Integer.parseInt(m.group(2)), all.length - 1);
                body = java.util.Arrays.copyOfRange(all, a, b + 1);
                status = 206;
                x.getResponseHeaders().add("Content-Range", "bytes " + a + "-" + b + "/" + all.length);
            }
            if (corrupt && body.length > 0) {
                body[body.length / 2] ^= 1;
            }
            served.addAndGet(body.length);
            x.sendResponseHeaders(status, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aLeecherWithNoPeerFetchesEveryFileFromTheWebSeed() throws Exception {
        Path source = dir.resolve("seed/artifact");
        TestData.write(source, 61, 1_000_003, 300_000, 77_777);
        String base = serve(dir.resolve("seed"));
        Metainfo m = new TorrentCreator().pieceLength(64 * 1024).urlList(List.of(base)).create(source);
        EngineHarness.Node leecher = harness.start();
        InfoHash hash = leecher.add(m, dir.resolve("copy"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("copy"), m);
        SwarmStatus s = leecher.status(hash);
        assertThat(s.byClass().outsideIn()).isEqualTo(1_000_003 + 300_000 + 77_777);
        assertThat(served.get()).as("each byte fetched once").isEqualTo(1_000_003 + 300_000 + 77_777);
        assertThat(s.piecesFailed()).isZero();
    }

    @Test
    void aSingleFileTorrentsWebSeedIsTheFileItself() throws Exception {
        Path source = dir.resolve("seed/artifact.bin");
        Files.createDirectories(source.getParent());
        byte[] data = new byte[700_001];
        new java.util.Random(62).nextBytes(data);
        Files.write(source, data);
        String url = serve(dir.resolve("seed")) + "artifact.bin";
        Metainfo m = new TorrentCreator().pieceLength(32 * 1024).urlList(List.of(url)).create(source);
        EngineHarness.Node leecher = harness.start();
        leecher.add(m, dir.resolve("copy"), SwarmOptions.defaults().withAnnounce(false));
        await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        assertThat(Files.readAllBytes(dir.resolve("copy/artifact.bin"))).isEqualTo(data);
    }

    @Test
    void aFastPeerLeavesTheWebSeedAlone() throws Exception {
        Path source = dir.resolve("seed/artifact");
        TestData.write(source, 63, 4_000_000);
        String base = serve(dir.resolve("seed"));
        Metainfo m = new TorrentCreator().pieceLength(256 * 1024).urlList(List.of(base)).create(source);
        EngineHarness.Node seed = harness.start();
        seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        EngineHarness.Node leecher = harness.start();
        leecher.add(m, dir.resolve("copy"), SwarmOptions.defaults().withAnnounce(false).withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("copy"), m);
        assertThat(served.get()).as("the origin is asked only for what peers cannot give fast enough").isZero();
    }

    @Test
    void aWebSeedThatServesOtherBytesFailsItsPiecesAndASlowPeerCompletes() throws Exception {
        Path source = dir.resolve("seed/artifact");
        TestData.write(source, 64, 1_048_576);
        String base = serve(dir.resolve("seed"));
        corrupt = true;
        Metainfo m = new TorrentCreator().pieceLength(256 * 1024).urlList(List.of(base)).create(source);
        EngineHarness.Node seed = harness.start();
        InfoHash seeded = seed.add(m, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false));
        seed.engine.setSwarmLimits(seeded, 0, 100_000).get(10, java.util.concurrent.TimeUnit.SECONDS);
        EngineHarness.Node leecher = harness.start();
        InfoHash hash = leecher.add(m, dir.resolve("copy"), SwarmOptions.defaults().withAnnounce(false)
                .withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(120)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("copy"), m);
        assertThat(served.get()).as("the web seed was asked (the peer is slow)").isPositive();
        assertThat(leecher.status(hash).piecesFailed()).as("its bytes failed the hash check").isPositive();
    }
}

package dev.freshet.engine.cli;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.EngineConfig;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as the benchmark uses it, against a real seed and a real loopback tracker. */
class FreshetCliTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void theSelfTestMovesAnArtifactBetweenTwoEnginesAndChecksIt() throws Exception {
        assertThat(run("self-test")).matches("self-test ok \\d+ ms\\R");
    }

    private String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new FreshetCli(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(args);
        assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createsATorrentThenDownloadsItFromASeedFoundThroughATrackerUrl() throws Exception {
        Path data = dir.resolve("src/payload.bin");
        Files.createDirectories(data.getParent());
        byte[] content = new byte[3_000_017];
        new Random(4).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("payload.torrent");

        assertThat(run("create", data.toString(), "--out", torrent.toString(), "--piece-length", "65536"))
                .contains("created").contains("46 pieces of 65536");
        Metainfo m = Metainfo.parse(Files.readAllBytes(torrent));
        assertThat(run("magnet", torrent.toString()).trim()).isEqualTo(m.magnet().toString());

        // a seed engine, and a tracker that hands out only the seed's address
        ExecutorService network = Executors.newSingleThreadExecutor();
        ExecutorService hashing = Executors.newFixedThreadPool(2);
        toClose.add(network::shutdownNow);
        toClose.add(hashing::shutdownNow);
        CountDownLatch seeding = new CountDownLatch(1);
        Engine seed = Engine.start(EngineConfig.builder().build(network, hashing), e -> {
            if (e instanceof EngineEvent.SwarmStarted) {
                seeding.countDown();
            }
        });
        toClose.add(seed);
        seed.addSwarm(m, dir.resolve("src"), SwarmOptions.defaults().withAnnounce(false)).get(10, TimeUnit.SECONDS);
        assertThat(seeding.await(20, TimeUnit.SECONDS)).isTrue();

        List<String> announces = new CopyOnWriteArrayList<>();
        HttpServer tracker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        int seedPort = seed.listenPort();
        tracker.createContext("/announce", ex -> {
            announces.add(ex.getRequestURI().getRawQuery());
            byte[] head = "d8:intervali60e5:peers6:".getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[head.length + 7];
            System.arraycopy(head, 0, body, 0, head.length);
            byte[] peer = {127, 0, 0, 1, (byte) (seedPort >> 8), (byte) seedPort, 'e'};
            System.arraycopy(peer, 0, body, head.length, 7);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tracker.start();
        toClose.add(() -> tracker.stop(0));
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";

        String out = run("download", torrent.toString(), "--dir", dir.resolve("dl").toString(), "--tracker", url,
                "--exit-on-complete");

        assertThat(out).contains("listening 127.0.0.1:").containsPattern("complete \\d+");
        assertThat(Files.readAllBytes(dir.resolve("dl/payload.bin"))).isEqualTo(content);
        assertThat(announces).anySatisfy(q -> assertThat(q).contains("event=started").contains("left=3000017"));
    }
}

package dev.freshet.engine.cli;

import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.EngineConfig;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A torrent moves between two operating-system processes: a CLI seed in its own JVM, and an engine here. */
class TwoProcessTest {
    @TempDir
    Path dir;

    @Test
    void aSeedInAnotherJvmServesAnEngineInThisOne() throws Exception {
        Path data = dir.resolve("seed/blob.bin");
        Files.createDirectories(data.getParent());
        byte[] content = new byte[12_345_678];
        new Random(8).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("blob.torrent");
        Files.write(torrent, new dev.freshet.engine.create.TorrentCreator().create(data).toBytes());
        Metainfo m = Metainfo.parse(Files.readAllBytes(torrent));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process seed = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                FreshetCli.class.getName(), "seed", torrent.toString(), "--dir", dir.resolve("seed").toString(),
                "--bind", "127.0.0.1", "--port", "0", "--no-announce")
                .redirectErrorStream(true).start();
        ExecutorService network = Executors.newSingleThreadExecutor();
        ExecutorService hashing = Executors.newFixedThreadPool(2);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(seed.getInputStream(), StandardCharsets.UTF_8))) {
            int port = -1;
            Pattern listening = Pattern.compile("^listening 127\\.0\\.0\\.1:(\\d+)$");
            for (String line; (line = out.readLine()) != null; ) {
                Matcher matcher = listening.matcher(line);
                if (matcher.matches()) {
                    port = Integer.parseInt(matcher.group(1));
                }
                if (line.startsWith("started")) {
                    assertThat(line).endsWith("verified " + m.info().pieceCount() + "/" + m.info().pieceCount());
                    break;
                }
            }
            assertThat(port).as("the seed process reported its port").isPositive();

            CountDownLatch complete = new CountDownLatch(1);
            try (Engine leecher = Engine.start(EngineConfig.builder().build(network, hashing), e -> {
                if (e instanceof EngineEvent.SwarmComplete) {
                    complete.countDown();
                }
            })) {
                leecher.addSwarm(m, dir.resolve("leech"), SwarmOptions.defaults().withAnnounce(false)
                        .withPeers(List.of(new InetSocketAddress("127.0.0.1", port)))).get(10, TimeUnit.SECONDS);
                assertThat(complete.await(60, TimeUnit.SECONDS)).as("download completed").isTrue();
            }
            assertThat(Files.readAllBytes(dir.resolve("leech/blob.bin"))).isEqualTo(content);
        } finally {
            seed.destroy();
            if (!seed.waitFor(10, TimeUnit.SECONDS)) {
                seed.destroyForcibly();
            }
            network.shutdownNow();
            hashing.shutdownNow();
        }
    }
}

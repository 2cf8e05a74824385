package dev.freshet.engine.cli;

import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.EngineConfig;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, case 5, in the engine: a leecher whose disk fills up stalls with a clear reason instead of failing
 * for good, and finishes by itself, with a correct file, once the disk has room again. The disk is real: a
 * 24 MiB tmpfs in a mount namespace of the leecher's own (the CLI in another process, under {@code unshare -m}),
 * grown to 96 MiB from outside with {@code nsenter} while it waits. Needs root, as the interop tests do.
 */
class Issue10FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskStallsTheSwarmWhichGoesOnWhenThereIsRoom() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small file system needs root (CI runs as root)");
        Path data = dir.resolve("seed/blob.bin");
        Files.createDirectories(data.getParent());
        byte[] content = new byte[48 << 20];
        new Random(5).nextBytes(content);
        Files.write(data, content);
        Path torrent = dir.resolve("blob.torrent");
        Metainfo m = new dev.freshet.engine.create.TorrentCreator().pieceLength(256 * 1024).create(data);
        Files.write(torrent, m.toBytes());
        Path small = dir.resolve("small");
        Files.createDirectories(small);

        ExecutorService network = Executors.newSingleThreadExecutor();
        ExecutorService hashing = Executors.newFixedThreadPool(2);
        Process leecher = null;
        try (Engine seed = Engine.start(EngineConfig.builder().listenAddress(
                new java.net.InetSocketAddress("127.0.0.1", 0)).build(network, hashing), e -> { })) {
            seed.addSwarm(m, data.getParent(), SwarmOptions.defaults().withAnnounce(false)).get(30, TimeUnit.SECONDS);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String run = "mount -t tmpfs -o size=24m freshet-test " + small + " && " + java + " -Xmx128m -cp "
                    + System.getProperty("java.class.path") + " " + FreshetCli.class.getName() + " download " + torrent
                    + " --dir " + small + " --peer 127.0.0.1:" + seed.listenPort()
                    + " --no-announce --exit-on-complete && sha1sum " + small + "/blob.bin";
            leecher = new ProcessBuilder("unshare", "-m", "sh", "-c", run).redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Process p = leecher;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            reader.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream().anyMatch(l -> l.startsWith("stalled")));
            String stalled = lines.stream().filter(l -> l.startsWith("stalled")).findFirst().orElseThrow();
            assertThat(stalled).contains("disk full").contains("goes on by itself");
            Thread.sleep(6000); // a room check or more: still stalled, not failed, not complete
            assertThat(lines).noneMatch(l -> l.startsWith("error") || l.startsWith("complete"));

            // space returns: the tmpfs grows (from outside, in the leecher's mount namespace)
            Process grow = new ProcessBuilder("nsenter", "-t", Long.toString(leecher.pid()), "-m", "mount", "-o",
                    "remount,size=96m", small.toString()).redirectErrorStream(true).start();
            assertThat(grow.waitFor()).as(new String(grow.getInputStream().readAllBytes())).isZero();

            assertThat(leecher.waitFor(90, TimeUnit.SECONDS)).as("finished after the disk grew: " + lines).isTrue();
            reader.join(5000);
            assertThat(leecher.exitValue()).as(String.join("\n", lines)).isZero();
            String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
            assertThat(lines).as("the file on the full-then-grown disk is the seed's").anyMatch(l -> l.startsWith(sha1));
            assertThat(lines).noneMatch(l -> l.startsWith("error"));
        } finally {
            if (leecher != null) {
                leecher.destroyForcibly();
            }
            network.shutdownNow();
            hashing.shutdownNow();
        }
    }
}

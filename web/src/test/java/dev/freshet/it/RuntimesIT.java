package dev.freshet.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The other ways to run a node: the executable uber-jar, and the same WAR + RAR on Payara Micro 7
 * (Jakarta EE 11, needs a JDK 21+). Each node must start, answer, publish a file and keep it across a restart.
 */
class RuntimesIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void theUberJarIsANode() throws Exception {
        Path jar = MicroCluster.existing("freshet.uberJar");
        cluster.runtime(Path.of(System.getProperty("java.home"), "bin", "java"), jar, false);
        exercise("uberjar");
    }

    @Test
    void theSameWarAndRarRunOnPayaraMicro7() throws Exception {
        Optional<Path> jdk = jdk21OrNewer();
        Assumptions.assumeTrue(jdk.isPresent(), "skipped: the Payara Micro 7 check needs a JDK 21 or newer; none under "
                + "/usr/lib/jvm (or set -Dfreshet.jdk21=/path/to/jdk)");
        cluster.runtime(jdk.get().resolve("bin/java"), MicroCluster.existing("payara7.microJar"), true);
        System.out.println("Payara Micro 7 on " + jdk.get());
        exercise("payara7");
    }

    private void exercise(String label) throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve(label + "-" + System.nanoTime());
        Path published = work.resolve("published");
        Path file = Artifacts.write(published, "runtime-check", 5, 2_500_000).resolve("f0.bin");
        cluster.plan(work, 1);
        MicroNode node = cluster.node(0, "lab", Map.of("freshet.publish.roots", published.toString()));
        long t0 = System.nanoTime();
        node.start().awaitReady(Duration.ofSeconds(240));
        System.out.printf("TIME %s node ready %.1f s%n", label, (System.nanoTime() - t0) / 1e9);
        Api.Reply r = node.admin().postJson("/api/swarms", "{\"path\":\"" + file + "\",\"policy\":\"all\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String hash = r.json().getString("infoHash");
        assertThat(node.anonymous().get("/api/swarms").status()).isEqualTo(401);
        assertThat(node.viewer().post("/api/swarms/" + hash + "/pause").status()).isEqualTo(403);
        // the console and its live updates (server-sent events) on this runtime too
        assertThat(node.anonymous().get("/").body()).contains("console/app.js");
        assertThat(node.viewer().firstEvent("/api/events")).isEqualTo("node");

        // killed right after the publish: the catalog must already hold it (regression: H2's default write
        // delay of 500 ms lost a swarm published just before a kill -9)
        node.kill();
        node.start().awaitReady(Duration.ofSeconds(240));
        Api.Reply after = await().atMost(Duration.ofSeconds(60)).until(() -> node.admin().get("/api/swarms/" + hash),
                x -> x.status() == 200 && x.json().getJsonNumber("progress").doubleValue() == 1.0);
        assertThat(after.json().getString("state")).isEqualTo("seeding");
    }

    /** {@code -Dfreshet.jdk21}, else the newest JDK of version 21 or more under /usr/lib/jvm. */
    static Optional<Path> jdk21OrNewer() throws IOException {
        String given = System.getProperty("freshet.jdk21");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        Pattern version = Pattern.compile("JAVA_VERSION=\"(\\d+)");
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(d.resolve("release")))
                    .map(d -> {
                        try {
                            Matcher m = version.matcher(Files.readString(d.resolve("release")));
                            return Map.entry(d, m.find() ? Integer.parseInt(m.group(1)) : 0);
                        } catch (IOException e) {
                            return Map.entry(d, 0);
                        }
                    })
                    .filter(e -> e.getValue() >= 21)
                    .max(Comparator.comparing(Map.Entry::getValue))
                    .map(Map.Entry::getKey);
        }
    }
}

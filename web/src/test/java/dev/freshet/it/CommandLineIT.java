package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, item 3: {@code src/bin/freshet}, the command line for pipelines, against real nodes (hq and paris):
 * publish (an upload, and a path on the node) with --wait, status, fetch (through the node's HTTP downloads, resumed,
 * every piece verified), wait for offices; and its errors: a clear message and a non-zero exit status.
 */
class CommandLineIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    record Run(int exit, String out, String err) {
    }

    private Path work;
    private MicroNode hq;
    private MicroNode paris;

    @Test
    void eachCommandAgainstARealCluster() throws Exception {
        work = Path.of(System.getProperty("it.dir", "target/it")).resolve("cli-" + System.nanoTime()).toAbsolutePath();
        Path published = work.resolve("published");
        Path tree = Artifacts.write(published, "release", 31, 2_500_001, 7_000);
        Path single = Artifacts.write(work.resolve("local"), "upload", 32, 1_200_003).resolve("f0.bin");
        cluster.plan(work, 2);
        hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString()));
        paris = cluster.node(1, "paris", Map.of());
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris);

        // publish: an upload, policy all, --wait until paris has it too
        Run r = cli(hq, "publish", single.toString(), "--wait", "--timeout", "120");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        String uploaded = lines.get(0);
        assertThat(uploaded).matches("[0-9a-f]{40}");
        assertThat(lines.get(1)).startsWith("magnet:?xt=urn:btih:" + uploaded);
        assertThat(lines.get(2)).contains("whole on 2 node(s)");
        assertThat(progress(paris, uploaded)).isEqualTo(1.0);

        // publish: a directory on the node, for paris only
        r = cli(hq, "publish", tree.toString(), "--on-node", "--policy", "offices:paris", "--wait", "--timeout", "120");
        assertThat(r.exit()).as(r.err()).isZero();
        String release = r.out().lines().findFirst().orElseThrow();
        assertThat(r.out()).contains("whole on 1 node(s): " + paris.name());

        // status: the node's list, and one swarm across the cluster
        r = cli(paris, "status");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(uploaded).contains(release).contains("100.00 %");
        r = cli(hq, "status", release);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("policy offices:paris").contains(paris.name());

        // fetch: by magnet link through paris's HTTP downloads, then resumed after a cut, then a damaged copy
        Path into = work.resolve("fetched");
        r = cli(paris, "fetch", "magnet:?xt=urn:btih:" + release + "&dn=release", "--to", into.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("every piece verified");
        assertThat(Artifacts.digests(into.resolve("release"))).isEqualTo(Artifacts.digests(tree));
        Path big = into.resolve("release/f0.bin");
        try (var ch = java.nio.channels.FileChannel.open(big, StandardOpenOption.WRITE)) {
            ch.truncate(1_000_000); // a fetch cut short
        }
        r = cli(paris, "fetch", release, "--to", into.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Artifacts.digests(into.resolve("release"))).isEqualTo(Artifacts.digests(tree));
        byte[] damaged = Files.readAllBytes(big);
        damaged[12345] ^= 1;
        Files.write(big, damaged);
        r = cli(paris, "fetch", release, "--to", into.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("does not match the torrent's hash");

        // wait: for an office that has it, and one that does not exist
        r = cli(hq, "wait", release, "--offices", "paris", "--timeout", "30");
        assertThat(r.exit()).as(r.err()).isZero();
        r = cli(hq, "wait", release, "--offices", "tokyo", "--timeout", "5");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no node of office(s) tokyo");
        // an on-demand swarm: --wait has nothing to wait for (its publisher holds it whole), and paris never gets it
        Path asked = Artifacts.write(work.resolve("local"), "asked", 33, 300_000).resolve("f0.bin");
        r = cli(hq, "publish", asked.toString(), "--policy", "on-demand", "--wait");
        assertThat(r.exit()).as(r.err()).isZero();
        String onDemand = r.out().lines().findFirst().orElseThrow();
        r = cli(hq, "wait", onDemand, "--offices", "paris", "--timeout", "2");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("timed out").contains("0 of 1").contains(paris.name());

        // an API token instead of a password (issue 16): a publisher publishes and reads, a bad token is refused
        Api.Reply created = hq.admin().postJson("/api/tokens", "{\"name\":\"cli\",\"role\":\"publisher\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().getString("token");
        r = runWithToken(hq, token, "status", release);
        assertThat(r.exit()).as(r.err()).isZero();
        Path byToken = Artifacts.write(work.resolve("local"), "by-token", 34, 200_000).resolve("f0.bin");
        r = runWithToken(hq, token, "publish", byToken.toString(), "--policy", "offices:hq");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(hq.admin().get("/api/audit?who=token:" + token.substring(4, 16)).body())
                .as("the audit log names the token").contains("POST /api/swarms");
        r = runWithToken(hq, "fst_000000000000_" + "A".repeat(43), "status");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("401").contains("unknown token");

        // errors: clear messages, non-zero exit status
        r = run(hq, List.of("status"), "wrong");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("401").contains("wrong user name or password");
        r = cli(hq, "fetch", release, "--to");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("argument --to: expected one argument");
        r = cli(hq, "status", "ab".repeat(20));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no swarm");
        r = cli(hq, "publish", work.resolve("nothing.bin").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no such file");
        r = cli(hq, "publish", single.toString(), "--policy", "everywhere");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("400").contains("unknown policy");
        Process p = new ProcessBuilder(script().toString(), "--url", "http://127.0.0.1:1", "status")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("cannot reach the node");
    }

    private Run runWithToken(MicroNode node, String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("--token", token));
        command.addAll(List.of(args));
        return run(node, command, "not-used-when-a-token-is-given");
    }

    private static double progress(MicroNode node, String hash) throws Exception {
        JsonObject s = node.admin().get("/api/swarms/" + hash).json();
        return s.getJsonNumber("progress").doubleValue();
    }

    private static Path script() {
        return Path.of("..", "src", "bin", "freshet").toAbsolutePath().normalize();
    }

    private Run cli(MicroNode node, String... args) throws Exception {
        return run(node, List.of(args), MicroNode.ADMIN_PASSWORD);
    }

    /** The command line against {@code node}: its URL and password from the environment, as a CI job gives them. */
    private Run run(MicroNode node, List<String> args, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of(script().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().put("FRESHET_URL", "http://127.0.0.1:" + node.httpPort);
        pb.environment().put("FRESHET_USER", "admin");
        pb.environment().put("FRESHET_PASSWORD", password);
        pb.environment().put("FRESHET_CONFIG", work.resolve("no-config").toString());
        Path out = Files.createTempFile(work, "cli", ".out");
        Path err = Files.createTempFile(work, "cli", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        cluster.track(p);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

package dev.freshet.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenID provider for the sign-in tests: Keycloak from Maven Central (unpacked by the build under
 * {@code target/keycloak}), started in development mode on loopback with an in-memory database and one realm that
 * the test writes. Stopped after each test, whether it passed or not, and at JVM exit should the test JVM die first.
 */
public final class Keycloak implements AfterEachCallback {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread reaper = new Thread(this::stop, "keycloak-reaper");
    private Process process;
    private int port;

    private Path log;

    /** The issuer URL of {@code realm} on this Keycloak (its port is chosen now, before it starts). */
    public String issuer(String realm) {
        if (port == 0) {
            port = MicroCluster.freePort();
        }
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    /** Starts Keycloak with {@code realmJson} (realm {@code realm}) and returns at once; {@link #awaitReady} waits. */
    public void launch(Path dir, String realm, String realmJson) throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak at " + home + ": `mvn verify` unpacks it (pre-integration-test)");
        }
        Path jdk = RuntimesIT.jdk21OrNewer().orElseThrow(() -> new IllegalStateException(
                "Keycloak needs JDK 21 or newer: none under /usr/lib/jvm (or set -Dfreshet.jdk21=/path/to/jdk)"));
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        try (var old = Files.list(imports)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(imports.resolve(realm + "-realm.json"), realmJson);
        issuer(realm);
        Files.createDirectories(dir);
        log = dir.resolve("keycloak.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + MicroCluster.freePort(),
                "--db=dev-mem", "--import-realm", "--cache=local"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keycloak.log").toFile());
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // compiled as the tests' nodes are (it.nodeJvmOptions in web/pom.xml): its start is mostly JIT work
        pb.environment().put("JAVA_OPTS_APPEND", System.getProperty("it.nodeJvmOptions", ""));
        Runtime.getRuntime().addShutdownHook(reaper);
        process = pb.start();
    }

    /** Waits until {@code realm} answers its discovery document. */
    public void awaitReady(String realm, Duration timeout) throws Exception {
        String issuer = issuer(realm);
        Path dir = log.getParent();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see "
                        + dir.resolve("keycloak.log"));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer
                        + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak did not answer within " + timeout + "; see " + dir.resolve("keycloak.log"));
    }

    private void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}

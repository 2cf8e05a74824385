package dev.freshet.it;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Payara Micro process running Freshet (RAR, then WAR), every socket on 127.0.0.1. Its data
 * directory survives {@link #kill()}, so {@link #start()} again is a restart of the same node.
 */
public final class MicroNode {
    public static final String ADMIN_PASSWORD = "admin-secret";
    public static final String VIEWER_PASSWORD = "viewer-secret";

    final String name;
    final String office;
    final int httpPort;
    final int clusterPort;
    final int peerPort;
    final Path dir;
    private final MicroCluster cluster;
    private final Map<String, String> extraProperties;
    private Process process;
    private int starts;
    private String smallDisk;
    private boolean ownSecretsFile;
    private int httpsPort;
    private String haltAt;

    MicroNode(MicroCluster cluster, String name, String office, int httpPort, int clusterPort, int peerPort, Path dir,
              Map<String, String> extraProperties) {
        this.cluster = cluster;
        this.name = name;
        this.office = office;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.peerPort = peerPort;
        this.dir = dir;
        this.extraProperties = extraProperties;
    }

    /**
     * Gives the node's data directory a file system of its own of {@code size} ({@code "40m"}): a tmpfs in a
     * mount namespace of the process's own ({@code unshare -m}, root only), gone with the process. The test sees
     * it through {@link #dataView()} and can grow it with {@link #growDisk}.
     */
    public MicroNode onSmallDisk(String size) {
        this.smallDisk = size;
        return this;
    }

    /**
     * Gives the node its cluster secrets in the file {@code cluster-secret} of its data directory (first line seals,
     * the others are accepted too) instead of the cluster's shared one: the node reads the file again when it changes.
     */
    public MicroNode secretsFile(String... secrets) throws IOException {
        ownSecretsFile = true;
        Path file = dir.resolve("data").resolve("cluster-secret");
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling("cluster-secret.next");
        Files.writeString(next, String.join("\n", secrets) + "\n");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return this;
    }

    /**
     * The next start only: the node halts when it reaches crash point {@code point} (as a kill -9 there would; the
     * points are listed in {@code dev.freshet.control.CrashPoints}).
     */
    public MicroNode haltAtOnce(String point) {
        this.haltAt = point;
        return this;
    }

    /** Adds an HTTPS listener on a free port (Payara's own certificate): {@link #httpsPort}. */
    public MicroNode https() {
        httpsPort = MicroCluster.freePort();
        return this;
    }

    public int httpsPort() {
        return httpsPort;
    }

    /** The data directory as this node's process sees it (through {@code /proc/<pid>/root} on a small disk). */
    public Path dataView() {
        return smallDisk == null ? dir.resolve("data")
                : Path.of("/proc/" + process.pid() + "/root").resolve(dir.resolve("data").toAbsolutePath().toString().substring(1));
    }

    /** Resizes the small disk of a running node (space returns, or is taken away). */
    public void growDisk(String size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nsenter", "-t", Long.toString(process.pid()), "-m", "mount", "-o",
                "remount,size=" + size, dir.resolve("data").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("cannot resize " + name + "'s disk: " + out);
        }
    }

    /** Launches the process; {@link #awaitReady} waits for it. */
    public synchronized MicroNode start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        // A fresh Payara root each start: a kept one redeploys its old applications besides --deploy.
        // Everything of Freshet's own lives in the data directory, which stays.
        Path runtime = dir.resolve("payara");
        if (Files.exists(runtime)) {
            try (var walk = Files.walk(runtime)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(runtime);
        Path preboot = dir.resolve("preboot.asadmin");
        Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners."
                + "network-listener.http-listener.address=127.0.0.1\n"
                + "set configs.config.server-config.network-config.network-listeners."
                + "network-listener.https-listener.address=127.0.0.1\n"
                // as src/bin/freshet-node: HTTPS in HTTP/1.1 only (Payara cuts HTTP/2 calls at 30 s)
                + Files.readString(MicroCluster.existing("freshet.httpListeners")));
        List<String> cmd = new ArrayList<>(List.of(cluster.java().toString(), "-Xmx768m", "-XX:+UseSerialGC",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.socket.bind.any=false",
                "-Dfreshet.node.name=" + name, "-Dfreshet.office=" + office,
                "-Dfreshet.public.url=http://127.0.0.1:" + httpPort + "/",
                "-Dfreshet.data.dir=" + dir.resolve("data"), "-Dfreshet.peer.bind=127.0.0.1",
                "-Dfreshet.peer.port=" + peerPort, "-Dfreshet.auth.admin-password=" + ADMIN_PASSWORD,
                "-Dfreshet.auth.viewer-password=" + VIEWER_PASSWORD));
        // it.nodeJvmOptions (web/pom.xml): how the tests' nodes compile, not what they do; see there
        for (String option : System.getProperty("it.nodeJvmOptions", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                cmd.add(option);
            }
        }
        extraProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (haltAt != null) {
            cmd.add("-D" + dev.freshet.control.CrashPoints.PROPERTY + "=" + haltAt);
            haltAt = null;
        }
        cmd.addAll(List.of("-jar", cluster.microJar().toString(), "--disablephonehome", "--nohostaware",
                "--name", name, "--clustername", cluster.clusterName(), "--clustermode", "tcpip:" + cluster.members(),
                "--interfaces", "127.0.0.1", "--startport", Integer.toString(clusterPort), "--port",
                Integer.toString(httpPort), "--rootdir", dir.resolve("payara").toString(),
                "--prebootcommandfile", preboot.toString()));
        if (httpsPort > 0) {
            cmd.addAll(List.of("--sslport", Integer.toString(httpsPort)));
        }
        for (Path p : cluster.deployments()) {
            cmd.add("--deploy");
            cmd.add(p.toString());
        }
        if (smallDisk != null) {
            Path data = dir.resolve("data").toAbsolutePath();
            Files.createDirectories(data);
            cmd.addAll(0, List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=" + smallDisk
                    + ",mode=700 freshet-small-disk '" + data + "' && exec \"$0\" \"$@\""));
        }
        starts++;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node-" + starts + ".log").toFile());
        // the cluster's secret, out of the command line (a node's own -Dfreshet.cluster.secret overrides it)
        if (ownSecretsFile) {
            pb.environment().remove("FRESHET_CLUSTER_SECRET");
        } else {
            pb.environment().put("FRESHET_CLUSTER_SECRET", cluster.secret());
        }
        process = pb.start();
        cluster.track(process);
        return this;
    }

    /** Waits until the node's readiness check is UP (the engine answers and the application is deployed). */
    public MicroNode awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + dir);
            }
            Path log = dir.resolve("node-" + starts + ".log");
            if (Files.exists(log) && Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("Failed to start resource adapter")) {
                throw new IllegalStateException(name + ": the resource adapter failed to start; see " + log);
            }
            try {
                HttpResponse<String> r = Api.plain().send("GET", "http://127.0.0.1:" + httpPort + "/health/ready");
                // Payara answers UP before the WAR is deployed (no checks yet): wait for Freshet's own check
                // 403: the node refuses credentials over plain HTTP (freshet.http.plain-credentials=never), so it answers
                if (r.statusCode() == 200 && r.body().contains("freshet-engine") && r.body().contains("\"UP\"")
                        && java.util.Set.of(200, 403).contains(admin().get("/api/swarms").status())) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + dir);
    }

    /** SIGKILL: no shutdown hooks, no goodbye to the cluster. */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** The node's process id (to read its heap with jcmd, say). */
    public long pid() {
        return process.pid();
    }

    public int peerPort() {
        return peerPort;
    }

    /** The exit status of a process that ended (-1 while it runs). */
    public int exitStatus() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Api admin() {
        return new Api("http://127.0.0.1:" + httpPort, "admin", ADMIN_PASSWORD);
    }

    public Api viewer() {
        return new Api("http://127.0.0.1:" + httpPort, "viewer", VIEWER_PASSWORD);
    }

    public Api anonymous() {
        return new Api("http://127.0.0.1:" + httpPort, null, null);
    }

    public Path downloads() {
        return dataView().resolve("downloads");
    }

    /**
     * Where this node keeps a fetched swarm's top-level file or directory {@code name}: every swarm has a directory
     * of its own (named by its info-hash) under the downloads directory. A path that does not exist when no swarm
     * holds it; more than one swarm holding that name fails the test.
     */
    public Path downloaded(String name) {
        try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.list(downloads())) {
            java.util.List<Path> found = dirs.map(d -> d.resolve(name)).filter(java.nio.file.Files::exists).toList();
            if (found.size() > 1) {
                throw new AssertionError(this + " holds '" + name + "' in more than one swarm: " + found);
            }
            return found.isEmpty() ? downloads().resolve("no-swarm-holds").resolve(name) : found.get(0);
        } catch (java.nio.file.NoSuchFileException none) {
            return downloads().resolve("no-swarm-holds").resolve(name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The last {@code lines} lines of Freshet's own log records (and every warning or error) of the node's latest
     * start, one line each without colours: what a failed test prints, since CI keeps no files.
     */
    public List<String> logDigest(int lines) {
        Path log = dir.resolve("node-" + starts + ".log");
        if (starts == 0 || !Files.exists(log)) {
            return List.of();
        }
        try {
            List<String> out = new java.util.ArrayList<>();
            List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int i = 0; i < all.size(); i++) {
                String plain = all.get(i).replaceAll("\u001B\\[[0-9;]*m", "");
                if (!plain.startsWith("[20")) {
                    continue; // continuation lines (stack frames) stay in the file
                }
                if (plain.contains("dev.freshet") || plain.contains("WARNING]") || plain.contains("SEVERE]")) {
                    String time = plain.substring(12, Math.min(plain.length(), 23));
                    int msg = plain.lastIndexOf("] ");
                    String level = plain.contains("SEVERE]") ? "E " : plain.contains("WARNING]") ? "W " : "I ";
                    String text = msg > 0 ? plain.substring(msg + 2) : plain;
                    if (text.equals("[[")) { // a record of several lines: its first line of text says what it is
                        String[] fields = plain.split("] \\[", 6); // time, [], level, message id, logger, thread
                        String from = fields.length > 4 ? fields[4] : "";
                        for (int j = i + 1; j < all.size() && !all.get(j).startsWith("[20"); j++) {
                            if (!all.get(j).isBlank()) {
                                text = from + ": " + all.get(j).strip();
                                break;
                            }
                        }
                    }
                    out.add(time + " " + level + text.substring(0, Math.min(text.length(), 260)));
                }
            }
            return out.subList(Math.max(0, out.size() - lines), out.size());
        } catch (IOException e) {
            return List.of("(log unreadable: " + e + ")");
        }
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + "(" + office + ", http " + httpPort + ")";
    }
}

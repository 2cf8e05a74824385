package dev.freshet.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A JUnit extension that owns a cluster of {@link MicroNode}s: ports chosen up front (the TCP/IP member list
 * names every node, also those started later), a cluster name of its own, and every process it started
 * killed after each test, whether it passed or not, and at JVM exit should the test JVM die first.
 */
public final class MicroCluster implements AfterEachCallback {
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<MicroNode> nodes = new ArrayList<>();
    private final String clusterName = "freshet-it-" + UUID.randomUUID().toString().substring(0, 8);
    /** The cluster secret every node gets (issue 13), unless a node is given another. */
    private final String secret = "it-secret-" + UUID.randomUUID() + UUID.randomUUID();
    private final Thread reaper = new Thread(this::killAll, "micro-cluster-reaper");
    private Path root;
    private List<int[]> ports;
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private Path jar;
    private boolean deploy = true;

    public MicroCluster() {
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Runs the nodes on another Java and Payara Micro jar than the build's; {@code deploy} false when the jar
     * already holds the application (the uber-jar).
     */
    public MicroCluster runtime(Path java, Path jar, boolean deploy) {
        this.java = java;
        this.jar = jar;
        this.deploy = deploy;
        return this;
    }

    /** The cluster secret the nodes share. */
    public String secret() {
        return secret;
    }

    /** Declares {@code size} nodes (their ports and directories) under {@code dir}; none is started yet. */
    public MicroCluster plan(Path dir, int size) {
        this.root = dir;
        ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {freePort(), freePort(), freePort()});
        }
        return this;
    }

    /** Node {@code index} (0-based) of the plan, with its office and extra system properties. */
    public MicroNode node(int index, String office, Map<String, String> properties) {
        int[] p = ports.get(index);
        MicroNode n = new MicroNode(this, "node" + (index + 1), office, p[0], p[1], p[2],
                root.resolve("node" + (index + 1)), properties);
        nodes.add(n);
        return n;
    }

    /** Starts the nodes together and waits for all of them. */
    public static void startAll(Duration timeout, MicroNode... nodes) throws Exception {
        for (MicroNode n : nodes) {
            n.start();
        }
        for (MicroNode n : nodes) {
            n.awaitReady(timeout);
        }
    }

    String clusterName() {
        return clusterName;
    }

    String members() {
        return ports.stream().map(p -> "127.0.0.1:" + p[1]).collect(Collectors.joining(","));
    }

    Path java() {
        return java;
    }

    Path microJar() {
        return jar != null ? jar : existing("payara.microJar");
    }

    List<Path> deployments() {
        return deploy ? List.of(existing("freshet.rar"), existing("freshet.war")) : List.of();
    }

    static Path existing(String property) {
        String v = System.getProperty(property);
        if (v == null || !Files.isRegularFile(Path.of(v))) {
            throw new IllegalStateException("system property " + property + " must name a built file (run through "
                    + "Maven: mvn verify), got " + v);
        }
        return Path.of(v);
    }

    void track(Process p) {
        processes.add(p);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (MicroNode n : nodes) {
                System.out.println("---- " + n.name() + " (" + n.office + "), its log's last records:");
                n.logDigest(24).forEach(l -> System.out.println("  " + l));
            }
        }
        killAll();
    }

    private void killAll() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port that is free now and below the kernel's ephemeral range (32768 and up on Linux): a port taken
     * from that range can be grabbed by any outgoing connection before the node binds it (it happened).
     */
    static int freePort() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(20000, 32000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port found between 20000 and 32000"));
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.storage.PieceStorage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Starts real engines on loopback for a test and stops every one of them afterwards, also when the
 * test fails (registered as a JUnit extension).
 */
final class EngineHarness implements AfterEachCallback {
    private final List<Node> nodes = new ArrayList<>();

    /** One engine, its own threads, and every event it emitted. */
    static final class Node implements AutoCloseable {
        final Engine engine;
        final List<EngineEvent> events = new CopyOnWriteArrayList<>();
        private final ExecutorService network;
        private final ExecutorService hashing;

        Node(EngineConfig.Builder builder) throws Exception {
            network = Executors.newSingleThreadExecutor();
            hashing = Executors.newFixedThreadPool(2);
            engine = Engine.start(builder.build(network, hashing), events::add);
        }

        InetSocketAddress address() {
            return engine.listenAddress();
        }

        InfoHash add(Metainfo m, Path dir, SwarmOptions options) throws Exception {
            return engine.addSwarm(m, dir, options).get(10, TimeUnit.SECONDS);
        }

        InfoHash add(Metainfo m, PieceStorage storage, SwarmOptions options) throws Exception {
            return engine.addSwarm(m, storage, options).get(10, TimeUnit.SECONDS);
        }

        SwarmStatus status(InfoHash hash) throws Exception {
            return engine.status(hash).get(10, TimeUnit.SECONDS).orElseThrow();
        }

        <T extends EngineEvent> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        boolean has(Class<? extends EngineEvent> type, Predicate<EngineEvent> filter) {
            return events.stream().anyMatch(e -> type.isInstance(e) && filter.test(e));
        }

        @Override
        public void close() {
            engine.close();
            network.shutdownNow();
            hashing.shutdownNow();
        }
    }

    Node start() throws Exception {
        return start(EngineConfig.builder());
    }

    Node start(EngineConfig.Builder builder) throws Exception {
        Node n = new Node(builder);
        nodes.add(n);
        return n;
    }

    static EngineConfig.Builder config() {
        return EngineConfig.builder();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Node n : nodes) {
            n.close();
        }
        nodes.clear();
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static RandomGenerator random(long seed) {
        return new java.util.Random(seed);
    }
}

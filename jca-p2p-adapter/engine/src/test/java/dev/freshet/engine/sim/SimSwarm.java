package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.EngineConfig;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmStatus;
import dev.freshet.engine.wire.PeerId;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Real engines on a {@link SimNetwork}, all on the calling thread, in virtual time (libtorrent's
 * {@code simulation/setup_swarm}): each engine is {@link Engine#startStepped stepped} when its sockets have news,
 * when it has work queued or when its tick is due; then the network moves one slot on. Hashing runs inline, every
 * random choice comes from a seed: the same seed gives the same run.
 */
public final class SimSwarm implements AutoCloseable {
    public static final int PORT = 6881;

    /** One simulated node: its host, its engine, every event it emitted. */
    public static final class Node {
        public final SimHost host;
        public final Engine engine;
        public final List<EngineEvent> events;
        public final PeerId peerId;

        Node(SimHost host, Engine engine, List<EngineEvent> events, PeerId peerId) {
            this.host = host;
            this.engine = engine;
            this.events = events;
            this.peerId = peerId;
        }

        public InetSocketAddress address() {
            return new InetSocketAddress(host.ip(), PORT);
        }
    }

    private final SimNetwork network;
    private final long seed;
    private final List<Node> nodes = new ArrayList<>();

    public SimSwarm(SimNetwork network, long seed) {
        this.network = network;
        this.seed = seed;
    }

    public SimNetwork network() {
        return network;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Starts an engine on {@code host}; {@code tune} may change its configuration (limits, slots...). */
    public Node start(SimHost host, Consumer<EngineConfig.Builder> tune, Consumer<EngineEvent> watcher) throws IOException {
        Random random = new Random(seed * 1_000_003L + nodes.size());
        byte[] id = new byte[PeerId.LENGTH];
        random.nextBytes(id);
        EngineConfig.Builder b = EngineConfig.builder().listenAddress(new InetSocketAddress(host.ip(), PORT))
                .random(random).peerId(PeerId.of(id)).clock(network::now).network(host).scrubRate(0)
                .hashingParallelism(1);
        tune.accept(b);
        List<EngineEvent> events = new ArrayList<>();
        Engine engine = Engine.startStepped(b.build(Runnable::run, Runnable::run), e -> {
            events.add(e);
            watcher.accept(e);
        });
        Node n = new Node(host, engine, events, PeerId.of(id));
        nodes.add(n);
        return n;
    }

    /** Adds a swarm to a node's engine, stepping it until the engine has taken it. */
    public InfoHash add(Node node, Metainfo m, SimStorage storage, SwarmOptions options) {
        return await(node, node.engine.addSwarm(m, storage, options));
    }

    /** Runs {@code node}'s engine until {@code call} completes (calls complete when the loop runs them). */
    public <T> T await(Node node, CompletableFuture<T> call) {
        for (int i = 0; i < 1000 && !call.isDone(); i++) {
            node.engine.runOnce();
        }
        return call.join();
    }

    private final java.util.Set<Node> frozen = new java.util.HashSet<>();

    /** From now on {@code node}'s engine is never run: a process that hangs with its sockets open. */
    public void freeze(Node node) {
        frozen.add(node);
    }

    /** {@code node}'s engine runs again (a process that was paused, or a peer that was only slow). */
    public void thaw(Node node) {
        frozen.remove(node);
    }

    /** Runs until {@code done} or {@code maxSimNanos} of virtual time have passed; answers the virtual time taken. */
    public long runUntil(BooleanSupplier done, long maxSimNanos) {
        long start = network.now();
        while (!done.getAsBoolean()) {
            if (network.now() - start > maxSimNanos) {
                throw new AssertionError("not done after " + maxSimNanos / 1_000_000_000L + " s of simulated time");
            }
            long now = network.now();
            for (Node n : nodes) {
                if (frozen.contains(n)) {
                    continue;
                }
                boolean touched = n.host.takeTouched();
                if (touched || n.engine.hasQueuedWork() || n.engine.nextTickNanos() <= now) {
                    n.engine.runOnce();
                }
            }
            network.slot();
        }
        return network.now() - start;
    }

    public SwarmStatus status(Node node, InfoHash hash) {
        return await(node, node.engine.status(hash)).orElseThrow();
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.engine.close();
        }
    }
}

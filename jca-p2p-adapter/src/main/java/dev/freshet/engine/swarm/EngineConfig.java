package dev.freshet.engine.swarm;

import dev.freshet.engine.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * How an engine runs. {@code networkExecutor} runs the network loop (one long-lived task);
 * {@code hashingExecutor} runs short tasks (piece verification, resume checks, tracker announces).
 * Rates in bytes per second, 0 = unlimited.
 */
public record EngineConfig(InetSocketAddress listenAddress, PeerId peerId, Executor networkExecutor,
                           Executor hashingExecutor, int hashingParallelism, int maxConnections,
                           int maxPeersPerSwarm, int uploadSlots, long downloadLimit, long uploadLimit,
                           int maxRequestsPerPeer, String clientName, RandomGenerator random) {
    public EngineConfig {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(networkExecutor, "networkExecutor");
        Objects.requireNonNull(hashingExecutor, "hashingExecutor");
        Objects.requireNonNull(random, "random");
        if (maxConnections < 1 || maxPeersPerSwarm < 1 || uploadSlots < 1 || maxRequestsPerPeer < 1
                || hashingParallelism < 1) {
            throw new IllegalArgumentException("connection, slot, request and parallelism limits must be positive");
        }
        if (downloadLimit < 0 || uploadLimit < 0) {
            throw new IllegalArgumentException("rate limits cannot be negative");
        }
    }

    /** Defaults: 500 connections, 80 peers per swarm, 4 upload slots plus one optimistic, 500 requests in flight per peer. */
    public static EngineConfig defaults(InetSocketAddress listenAddress, Executor networkExecutor, Executor hashingExecutor) {
        RandomGenerator random = new java.security.SecureRandom();
        return new EngineConfig(listenAddress, PeerId.generate(random), networkExecutor, hashingExecutor,
                Runtime.getRuntime().availableProcessors(), 500, 80, 4, 0, 0, 500, "Freshet 0.1", random);
    }

    public EngineConfig withRandom(RandomGenerator random) {
        return new EngineConfig(listenAddress, PeerId.generate(random), networkExecutor, hashingExecutor,
                hashingParallelism, maxConnections, maxPeersPerSwarm, uploadSlots, downloadLimit, uploadLimit,
                maxRequestsPerPeer, clientName, random);
    }

    public EngineConfig withUploadSlots(int slots) {
        return new EngineConfig(listenAddress, peerId, networkExecutor, hashingExecutor, hashingParallelism,
                maxConnections, maxPeersPerSwarm, slots, downloadLimit, uploadLimit, maxRequestsPerPeer, clientName, random);
    }

    public EngineConfig withLimits(long download, long upload) {
        return new EngineConfig(listenAddress, peerId, networkExecutor, hashingExecutor, hashingParallelism,
                maxConnections, maxPeersPerSwarm, uploadSlots, download, upload, maxRequestsPerPeer, clientName, random);
    }
}

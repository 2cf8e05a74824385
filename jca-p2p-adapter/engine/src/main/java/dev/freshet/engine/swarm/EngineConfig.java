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
 *
 * <p>{@code zeroCopy}: send blocks with {@code FileChannel.transferTo}: one header write and one
 * transfer per 16 KiB block, and the header leaves as a TCP segment of its own. Off (the default),
 * up to four blocks are read into the write buffer behind their headers and sent with one write:
 * one more memory copy, half the syscalls and full segments. Measured here, 1 GiB from one seed to
 * four leechers on loopback: 6.3-6.7 s without zero-copy, 6.7-6.9 s with it (and switching Nagle on
 * around each batch, to merge headers into data segments, did not help).
 *
 * <p>{@code clock} (nanoseconds, as {@link System#nanoTime}) and {@code network} (where sockets and the selector
 * come from) are the seams of a simulation: a simulated network and clock run whole swarms in virtual time, on one
 * thread, with {@link Engine#startStepped}; a node uses the system's.
 */
public record EngineConfig(InetSocketAddress listenAddress, PeerId peerId, Executor networkExecutor,
                           Executor hashingExecutor, int hashingParallelism, int maxConnections,
                           int maxPeersPerSwarm, int uploadSlots, long downloadLimit, long uploadLimit,
                           int maxRequestsPerPeer, String clientName, RandomGenerator random, boolean zeroCopy,
                           java.time.Duration evictIdleAfter, long scrubRate, java.time.Duration scrubEvery,
                           java.util.function.LongSupplier clock,
                           java.nio.channels.spi.SelectorProvider network, Timeouts timeouts,
                           dev.freshet.engine.tls.PeerTls peerTls, int readBufferSize, int writeBufferSize) {
    public EngineConfig {
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(networkExecutor, "networkExecutor");
        Objects.requireNonNull(hashingExecutor, "hashingExecutor");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(evictIdleAfter, "evictIdleAfter");
        if (scrubEvery == null || scrubEvery.isNegative() || scrubEvery.isZero()) {
            throw new IllegalArgumentException("the scrub's interval must be positive");
        }
        if (maxConnections < 1 || maxPeersPerSwarm < 1 || uploadSlots < 1 || maxRequestsPerPeer < 1
                || hashingParallelism < 1) {
            throw new IllegalArgumentException("connection, slot, request and parallelism limits must be positive");
        }
        if (downloadLimit < 0 || uploadLimit < 0 || scrubRate < 0) {
            throw new IllegalArgumentException("rate limits cannot be negative");
        }
        if (readBufferSize < ONE_BLOCK_MESSAGE || writeBufferSize < ONE_BLOCK_MESSAGE) {
            throw new IllegalArgumentException("a connection's buffers hold at least one block message ("
                    + ONE_BLOCK_MESSAGE + " bytes)");
        }
    }

    /** A piece message of one 16 KiB block with its header: the least a connection's buffer must hold. */
    public static final int ONE_BLOCK_MESSAGE = 16 * 1024 + 13;
    /** A connection's read buffer unless told: up to 128 KiB taken from the socket with one call. */
    public static final int DEFAULT_READ_BUFFER = 128 * 1024;
    /** A connection's write buffer unless told: four blocks behind their headers, sent with one call. */
    public static final int DEFAULT_WRITE_BUFFER = 4 * ONE_BLOCK_MESSAGE + 1024;
    /** With {@code zeroCopy}: headers and control messages only, blocks go out with transferTo. */
    public static final int DEFAULT_WRITE_BUFFER_ZERO_COPY = 32 * 1024;

    /** The background scrub's default pace: 32 MiB/s, a pass over 1 GiB in 32 s, low beside a disk's throughput. */
    public static final long DEFAULT_SCRUB_RATE = 32L << 20;
    /**
     * How often the scrub goes over a swarm by default: a pass, then a day's pause for that swarm (Ceph's light scrub is
     * daily, its deep scrub weekly). Passes back to back re-read a small node's data every few seconds for as long as
     * it ran; at this pace a node with 2.7 TB still gets a pass a day.
     */
    public static final java.time.Duration DEFAULT_SCRUB_EVERY = java.time.Duration.ofHours(24);

    /** Starts from the defaults: port 0 on 127.0.0.1, 500 connections, 80 peers per swarm, 4 upload slots plus one optimistic, 500 requests in flight per peer, no limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects settings; {@link #build} takes the two executors the engine runs on. */
    public static final class Builder {
        private InetSocketAddress listenAddress = new InetSocketAddress("127.0.0.1", 0);
        private RandomGenerator random = new java.security.SecureRandom();
        private PeerId peerId;
        private int hashingParallelism = Runtime.getRuntime().availableProcessors();
        private int maxConnections = 500;
        private int maxPeersPerSwarm = 80;
        private int uploadSlots = 4;
        private long downloadLimit;
        private long uploadLimit;
        private int maxRequestsPerPeer = 500;
        private String clientName = "Freshet 0.1";
        private boolean zeroCopy;
        private java.time.Duration evictIdleAfter = java.time.Duration.ofSeconds(30);
        private long scrubRate = DEFAULT_SCRUB_RATE;
        private java.time.Duration scrubEvery = DEFAULT_SCRUB_EVERY;
        private java.util.function.LongSupplier clock = System::nanoTime;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private dev.freshet.engine.tls.PeerTls peerTls;
        private int readBufferSize = DEFAULT_READ_BUFFER;
        private int writeBufferSize;

        /**
         * TLS between the members of the cluster ({@link Engine#secureMembers}): dialled members and members that dial
         * in speak TLS 1.3, both sides showing a certificate the other pinned; outside clients keep plain BitTorrent
         * on the same port. None (the default): every connection is plain.
         */
        public Builder peerTls(dev.freshet.engine.tls.PeerTls tls) {
            this.peerTls = tls;
            return this;
        }

        /** The engine's timeouts and periods ({@link Timeouts#DEFAULTS} unless changed). */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = timeouts;
            return this;
        }
        private java.nio.channels.spi.SelectorProvider network = java.nio.channels.spi.SelectorProvider.provider();

        /** A clock in nanoseconds other than {@link System#nanoTime} (a simulation's). */
        public Builder clock(java.util.function.LongSupplier nanoTime) {
            this.clock = nanoTime;
            return this;
        }

        /** Sockets and selectors from another provider than the system's (a simulated network). */
        public Builder network(java.nio.channels.spi.SelectorProvider provider) {
            this.network = provider;
            return this;
        }

        /**
         * Bytes per second the background scrub re-reads and re-hashes of verified pieces (issue 10, case 3:
         * damage at rest); 0 turns it off. Default {@link #DEFAULT_SCRUB_RATE}.
         */
        public Builder scrubRate(long bytesPerSecond) {
            this.scrubRate = bytesPerSecond;
            return this;
        }

        /**
         * How long after a pass over a swarm the scrub starts its next pass over it (the first pass of a run starts once
         * the swarm rests). Default {@link #DEFAULT_SCRUB_EVERY}.
         */
        public Builder scrubEvery(java.time.Duration interval) {
            this.scrubEvery = interval;
            return this;
        }

        /**
         * The size of each connection's read and write buffer (direct, pooled: a connection holds one while a partial
         * message waits in it or bytes wait to be sent, and the pool keeps as many as were ever held at once, up to
         * {@code maxConnections}). Defaults {@link #DEFAULT_READ_BUFFER} and {@link #DEFAULT_WRITE_BUFFER} (or
         * {@link #DEFAULT_WRITE_BUFFER_ZERO_COPY}): at most 500 connections × 194 KiB, 95 MiB a node. Smaller buffers
         * cost more calls per byte and fit many engines in one process (a simulated swarm of thousands of nodes);
         * a message larger than the read buffer still arrives (the buffer grows for it), one larger than the write
         * buffer waits in the connection's queue.
         */
        public Builder connectionBuffers(int readBytes, int writeBytes) {
            this.readBufferSize = readBytes;
            this.writeBufferSize = writeBytes;
            return this;
        }

        /**
         * When every slot is taken, a connection that moved no block either way for this long (and is not
         * one of the cluster's own, see {@code Engine.preferPeers}) gives its slot to a newcomer.
         */
        public Builder evictIdleAfter(java.time.Duration idle) {
            this.evictIdleAfter = idle;
            return this;
        }

        /** Send blocks with transferTo, or (the default) copy several into one write. */
        public Builder zeroCopy(boolean zeroCopy) {
            this.zeroCopy = zeroCopy;
            return this;
        }

        public Builder listenAddress(InetSocketAddress address) {
            this.listenAddress = address;
            return this;
        }

        public Builder listen(String host, int port) {
            try {
                return listenAddress(new InetSocketAddress(java.net.InetAddress.getByName(host), port));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("unknown listen address " + host, e);
            }
        }

        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder peerId(PeerId peerId) {
            this.peerId = peerId;
            return this;
        }

        public Builder hashingParallelism(int n) {
            this.hashingParallelism = n;
            return this;
        }

        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        public Builder maxPeersPerSwarm(int n) {
            this.maxPeersPerSwarm = n;
            return this;
        }

        public Builder uploadSlots(int n) {
            this.uploadSlots = n;
            return this;
        }

        /** Global limits in bytes per second; 0 = unlimited. */
        public Builder limits(long download, long upload) {
            this.downloadLimit = download;
            this.uploadLimit = upload;
            return this;
        }

        public Builder maxRequestsPerPeer(int n) {
            this.maxRequestsPerPeer = n;
            return this;
        }

        public Builder clientName(String name) {
            this.clientName = name;
            return this;
        }

        public EngineConfig build(Executor networkExecutor, Executor hashingExecutor) {
            return new EngineConfig(listenAddress, peerId != null ? peerId : PeerId.generate(random), networkExecutor,
                    hashingExecutor, hashingParallelism, maxConnections, maxPeersPerSwarm, uploadSlots, downloadLimit,
                    uploadLimit, maxRequestsPerPeer, clientName, random, zeroCopy, evictIdleAfter, scrubRate, scrubEvery, clock,
                    network, timeouts, peerTls, readBufferSize, writeBufferSize != 0 ? writeBufferSize
                            : zeroCopy ? DEFAULT_WRITE_BUFFER_ZERO_COPY : DEFAULT_WRITE_BUFFER);
        }
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.ratelimit.TokenBucket;
import dev.freshet.engine.storage.BufferPool;
import dev.freshet.engine.storage.PieceHasher;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.PeerId;
import dev.freshet.engine.wire.ProtocolException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The network thread: one selector for the listening socket and every peer socket, a task queue for
 * work from other threads, and a 50 ms tick for rate limits and a 1 s tick for swarm housekeeping.
 * Every method but {@link #execute}, {@link #stop} and {@link #run} must be called on this thread.
 */
final class NetworkLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(NetworkLoop.class.getName());
    private static final long TICK = 50_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final EngineConfig config;
    private final EngineListener listener;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final int listenPort;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<InfoHash, Swarm> swarms = new HashMap<>();
    /** In the order they came: iterating them is the same from run to run (a simulation is deterministic). */
    private final Set<PeerConnection> connections = new LinkedHashSet<>();
    private final List<PeerConnection> dirty = new ArrayList<>();
    private final Set<PeerConnection> readWaiting = new LinkedHashSet<>();
    private final Set<PeerConnection> uploadWaiting = new LinkedHashSet<>();
    private final Set<InetSocketAddress> self = new HashSet<>();
    /** BEP 9 fetches of magnet links running now. */
    private final Set<MetadataFetch> fetches = new LinkedHashSet<>();
    /** Peer ids of this node's own cluster: they are never evicted for outsiders and may evict idle ones. */
    private Set<PeerId> preferred = Set.of();
    private final BufferPool readPool;
    private final BufferPool writePool;
    private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);
    private final TokenBucket globalDownload;
    private final TokenBucket globalUpload;
    private final WanLink wan;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private long now;
    private long nextTick;
    /** When the last tick ran ({@link #lastTick()}). */
    private long lastTick;
    private long nextSecond;

    NetworkLoop(EngineConfig config, EngineListener listener) throws IOException {
        this.config = config;
        this.listener = listener;
        this.now = config.clock().getAsLong();
        this.selector = config.network().openSelector();
        this.server = config.network().openServerSocketChannel();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(config.listenAddress(), 256);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.listenPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
        self.add(new InetSocketAddress(config.listenAddress().getAddress(), listenPort));
        this.readPool = new BufferPool(config.readBufferSize(), config.maxConnections());
        this.writePool = new BufferPool(config.writeBufferSize(), config.maxConnections());
        this.globalDownload = new TokenBucket(config.downloadLimit(), now);
        this.globalUpload = new TokenBucket(config.uploadLimit(), now);
        this.wan = new WanLink(now);
    }

    EngineConfig config() {
        return config;
    }

    int listenPort() {
        return listenPort;
    }

    PeerId peerId() {
        return config.peerId();
    }

    long now() {
        return now;
    }

    /**
     * When the last tick ran: a swarm's own buckets refill to this time when they are used ({@link Swarm#uploadBudget}),
     * which earns them what a refill at every tick did, without a pass over thousands of idle swarms 20 times a second.
     */
    long lastTick() {
        return lastTick;
    }

    TokenBucket globalDownload() {
        return globalDownload;
    }

    TokenBucket globalUpload() {
        return globalUpload;
    }

    WanLink wan() {
        return wan;
    }

    /** The receive buffers of every connection across the WAN, fitted to this node's in share again. */
    void fitWanReceiveBuffers() {
        for (PeerConnection c : connections) {
            if (c.phase() == PeerConnection.Phase.ACTIVE && c.outsideOffice()) {
                wan.fitReceiveBuffer(c);
            }
        }
    }

    /** A task that answers someone: when the loop has stopped it is failed instead of run. */
    interface Call extends Runnable {
        void fail(RuntimeException why);
    }

    /** Runs {@code task} on the network thread. Any thread. Once the loop has stopped, a {@link Call} fails at once. */
    void execute(Runnable task) {
        tasks.add(task);
        if (stopReason != null) {
            failPending(); // the loop thread has drained the queue already, or is about to
            return;
        }
        selector.wakeup();
    }

    /** Why the loop stopped ("closed", or what killed its thread), or null while it runs. */
    private volatile String stopReason;

    String stopReason() {
        return stopReason;
    }

    private void failPending() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            if (t instanceof Call call) {
                call.fail(new IllegalStateException("the engine stopped: " + stopReason));
            }
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    void emit(EngineEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event listener failed on " + event, e);
        }
    }

    // ---- swarms --------------------------------------------------------------------------------

    Swarm swarmFor(InfoHash hash) {
        return swarms.get(hash);
    }

    /** The node's disk limits (issue 14); every downloading swarm checks them each second. */
    private DiskLimits diskLimits = DiskLimits.NONE;
    /** Verified bytes of every swarm, summed each second and whenever the limits change ({@link #markHeld}). */
    private long heldBytes;

    DiskLimits diskLimits() {
        return diskLimits;
    }

    /** New limits count what the swarms hold from now on, not from the next second (a quota set just now). */
    void diskLimits(DiskLimits limits) {
        diskLimits = java.util.Objects.requireNonNull(limits);
        markHeld();
    }

    /**
     * Sums what the swarms hold (verified bytes) into {@link #heldBytes}, each swarm marking where it stood: a swarm's
     * pieces since then are its own to add ({@code Swarm.lackOfRoom}), so the total is never behind.
     */
    private void markHeld() {
        long held = 0;
        for (Swarm s : swarms.values()) {
            held += s.markHeld();
        }
        heldBytes = held;
    }

    long heldBytes() {
        return heldBytes;
    }

    Map<InfoHash, Swarm> swarms() {
        return swarms;
    }

    void markSelf(InetSocketAddress address) {
        self.add(address);
    }

    /** {@code ids} is immutable (the engine copied it); the same set again, as each reconciliation sends it, changes nothing. */
    void preferPeers(Set<PeerId> ids) {
        if (ids.equals(preferred)) {
            return;
        }
        preferred = ids;
        for (PeerConnection c : connections) {
            c.clusterMember(c.peerId() != null && preferred.contains(c.peerId()));
        }
    }

    private PeerPreference peerPreference = PeerPreference.NONE;

    void peerPreference(PeerPreference preference) {
        peerPreference = preference;
        for (PeerConnection c : connections) {
            if (c.peerId() != null) {
                c.rank(rankOf(c));
            }
        }
    }

    /** Whether peers are ranked at all: with the default, a swarm spends nothing on ranks. */
    boolean ranksPeers() {
        return peerPreference != PeerPreference.NONE;
    }

    int rankOf(PeerConnection c) {
        try {
            return peerPreference.rank(c.peerId(), c.remote());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the peer preference failed on " + c + "; ranking it last", e);
            return Integer.MAX_VALUE;
        }
    }

    boolean isPreferred(PeerId id) {
        return preferred.contains(id);
    }

    // ---- TLS with the cluster's members (issue 13) --------------------------------------------------------------

    private java.util.Map<InetSocketAddress, SecureMember> secureByAddress = java.util.Map.of();
    private java.util.Map<PeerId, SecureMember> secureById = java.util.Map.of();
    private java.util.Map<String, SecureMember> secureByFingerprint = java.util.Map.of();
    /** Connections with decrypted input waiting: read again this round (the selector does not know of it). */
    private final List<PeerConnection> readAgain = new ArrayList<>();

    dev.freshet.engine.tls.PeerTls peerTls() {
        return config.peerTls();
    }

    /** The members that speak TLS (replacing those before); their certificates are the ones trusted. */
    void secureMembers(java.util.Collection<SecureMember> members) {
        if (config.peerTls() == null) {
            return;
        }
        java.util.Map<InetSocketAddress, SecureMember> byAddress = new java.util.HashMap<>();
        java.util.Map<PeerId, SecureMember> byId = new java.util.HashMap<>();
        java.util.Map<String, SecureMember> byFingerprint = new java.util.HashMap<>();
        for (SecureMember m : members) {
            byAddress.put(m.address(), m);
            byId.put(m.peerId(), m);
            byFingerprint.put(m.fingerprint(), m);
        }
        secureByAddress = byAddress;
        secureById = byId;
        secureByFingerprint = byFingerprint;
        config.peerTls().trust(byFingerprint.keySet());
    }

    /**
     * Why a connection whose BitTorrent handshake shows {@code id} may not go on (null: it may): a plain connection
     * with the peer id of a member that speaks TLS is a downgrade; a TLS connection must show the peer id of the
     * member whose certificate it showed.
     */
    String tlsRefusal(PeerConnection c, PeerId id) {
        if (config.peerTls() == null) {
            return null;
        }
        if (c.tls() == null) {
            return secureById.containsKey(id) ? "plain BitTorrent with the peer id of a member of this cluster, "
                    + "which speaks TLS: a downgrade" : null;
        }
        java.security.cert.X509Certificate certificate = c.tls().peerCertificate().orElse(null);
        SecureMember shown = certificate == null ? null
                : secureByFingerprint.get(dev.freshet.engine.tls.PeerIdentity.fingerprint(certificate));
        if (shown == null) {
            return "a TLS peer that is no member of this cluster";
        }
        try { // a resumed session shows the certificate of its first handshake, checked then, not now
            certificate.checkValidity();
        } catch (java.security.cert.CertificateException e) {
            return "a member's certificate that is no longer valid (" + e.getMessage() + ")";
        }
        return shown.peerId().equals(id) ? null : "the certificate of member " + shown.address()
                + " with another peer id";
    }

    boolean isSelf(InetSocketAddress address) {
        return self.contains(address);
    }

    /** Hashes a complete piece on the hashing pool and hands the result back to {@code swarm}. */
    void verify(Swarm swarm, int piece, boolean withBlockDigests) {
        config.hashingExecutor().execute(() -> {
            boolean ok;
            byte[][] blocks = null;
            try {
                ok = hashMatches(swarm, piece);
                if (!ok || withBlockDigests) {
                    blocks = blockDigests(swarm, piece);
                }
            } catch (RuntimeException e) {
                String message = "cannot read piece " + piece + " back: " + e.getMessage();
                execute(() -> swarm.fail(message));
                return;
            }
            boolean result = ok;
            byte[][] digests = blocks;
            execute(() -> swarm.pieceHashed(piece, result, digests));
        });
    }

    private boolean scrubbing;
    private int scrubTurn;

    /**
     * Once a second: unless the last batch is still hashing, the next verified pieces of one swarm (about a
     * second's worth at {@link EngineConfig#scrubRate}) are read back and hashed on the hashing pool; a piece that
     * no longer matches is {@link Swarm#pieceDamaged damaged}. Swarms take turns, a whole pass each.
     */
    private void scrub() {
        long rate = config.scrubRate();
        if (rate == 0 || scrubbing || swarms.isEmpty()) {
            return;
        }
        List<Swarm> all = new ArrayList<>(swarms.values());
        for (int i = 0; i < all.size(); i++) {
            int turn = (scrubTurn + i) % all.size();
            Swarm swarm = all.get(turn);
            PieceVerification.ScrubBatch batch = swarm.scrubBatch(rate);
            scrubTurn = batch.passDone() ? turn + 1 : turn;
            if (batch.pieces().length == 0) {
                continue;
            }
            scrubbing = true;
            config.hashingExecutor().execute(() -> {
                List<Integer> damaged = new ArrayList<>();
                for (int piece : batch.pieces()) {
                    try {
                        if (!hashMatches(swarm, piece)) {
                            damaged.add(piece);
                        }
                    } catch (RuntimeException unreadable) {
                        damaged.add(piece); // truncated or gone: as damaged as flipped bytes
                    }
                }
                execute(() -> {
                    scrubbing = false;
                    if (swarms.get(swarm.infoHash) == swarm) {
                        damaged.forEach(piece -> swarm.pieceDamaged(piece, "the scrub"));
                    }
                });
            });
            return;
        }
    }

    /** Most rechecks waiting for the hashing pool; more are ignored until some are done (each costs a piece read). */
    static final int MAX_RECHECKS = 256;

    private record Recheck(Swarm swarm, int piece) {
    }

    /** Rechecks asked for and not hashed yet: the same piece asked for again meanwhile costs nothing. */
    private final Set<Recheck> rechecking = new HashSet<>();

    /**
     * Reads a verified piece back and hashes it now, out of the scrub's turn: another member of the cluster failed
     * this node's copy of it. A piece that no longer matches is {@link Swarm#pieceDamaged damaged}; one that still
     * matches changes nothing (the bad block came from another source, or was damaged on the way).
     */
    void recheck(Swarm swarm, int piece) {
        if (!swarm.hasVerified(piece) || rechecking.size() >= MAX_RECHECKS
                || !rechecking.add(new Recheck(swarm, piece))) {
            return;
        }
        config.hashingExecutor().execute(() -> {
            boolean intact;
            try {
                intact = hashMatches(swarm, piece);
            } catch (RuntimeException unreadable) {
                intact = false;
            }
            boolean result = intact;
            execute(() -> {
                rechecking.remove(new Recheck(swarm, piece));
                if (swarms.get(swarm.infoHash) != swarm) {
                    return;
                }
                if (result) {
                    LOG.log(System.Logger.Level.INFO, "swarm " + swarm.infoHash + ": piece " + piece
                            + ", failed at another member, is intact here");
                } else {
                    swarm.pieceDamaged(piece, "a recheck another member asked for");
                }
            });
        });
    }

    /** Reads {@code piece} back from the swarm's storage and checks it against the torrent (on a hashing thread). */
    private static boolean hashMatches(Swarm swarm, int piece) {
        return swarm.info.pieceHashMatches(piece, HASHER.get().hash(swarm.storage, piece));
    }

    private static final ThreadLocal<PieceHasher> HASHER = ThreadLocal.withInitial(() -> new PieceHasher(256 * 1024));

    private static byte[][] blockDigests(Swarm swarm, int piece) {
        PieceLayout layout = swarm.layout;
        byte[][] out = new byte[layout.blocksInPiece(piece)][];
        ByteBuffer buffer = ByteBuffer.allocate(PieceLayout.BLOCK_SIZE);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int b = 0; b < out.length; b++) {
                buffer.clear().limit(layout.blockSize(piece, b));
                swarm.storage.read(piece, b * PieceLayout.BLOCK_SIZE, buffer);
                buffer.flip();
                sha1.update(buffer);
                out[b] = sha1.digest();
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    // ---- metadata of magnet links (BEP 9, the asking side) ------------------------------------------

    /** Starts fetching the metadata of {@code fetch}'s info-hash; it completes its future and says {@link #fetchEnded}. */
    void fetchMetadata(MetadataFetch fetch) {
        fetches.add(fetch);
        fetch.start();
    }

    void fetchEnded(MetadataFetch fetch) {
        fetches.remove(fetch);
    }

    /**
     * A socket to dial from, non-blocking, without Nagle, bound to our own address so that peers see us where we
     * listen: for peer connections and metadata dials alike.
     */
    SocketChannel openDialSocket() throws IOException {
        SocketChannel ch = config.network().openSocketChannel();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.bind(new InetSocketAddress(config.listenAddress().getAddress(), 0));
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Registers a socket that is not a peer connection (a metadata dial) with this loop's selector. */
    SelectionKey register(SocketChannel ch, int ops, Object attachment) throws IOException {
        return ch.register(selector, ops, attachment);
    }

    // ---- connections ---------------------------------------------------------------------------

    /** Starts a connection to {@code address} for {@code swarm}; false if no buffers or sockets are left. */
    boolean connect(Swarm swarm, InetSocketAddress address) {
        // a dial is worth the slot of a connection that can carry nothing, and of no other
        if (connections.size() >= config.maxConnections() && !closeSeedPair()) {
            return false;
        }
        SocketChannel ch = null;
        try {
            ch = openDialSocket();
            PeerConnection c = newConnection(ch, true, address);
            c.attach(swarm);
            boolean connected = ch.connect(address);
            c.key(ch.register(selector, SelectionKey.OP_CONNECT, c));
            if (connected) {
                finishConnect(c);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the dial failed anyway
                }
            }
            LOG.log(System.Logger.Level.DEBUG, "cannot dial " + address + ": " + e);
            return false;
        }
    }

    private PeerConnection newConnection(SocketChannel ch, boolean outgoing, InetSocketAddress remote) {
        PeerConnection c = new PeerConnection(this, ch, outgoing, remote, codec, now);
        connections.add(c);
        return c;
    }

    /**
     * A read buffer for a connection that has bytes to read. Connections hold one only while a partial
     * message waits in it, so idle peers cost no buffer; the pool has one per allowed connection, so it
     * cannot run dry.
     */
    ByteBuffer takeReadBuffer() {
        return readPool.tryAcquire().orElseThrow(() -> new IllegalStateException("read buffer pool exhausted"));
    }

    ByteBuffer takeWriteBuffer() {
        return writePool.tryAcquire().orElseThrow(() -> new IllegalStateException("write buffer pool exhausted"));
    }

    /** Pooled buffers held by connections right now (read and write); any thread, for diagnostics. */
    int buffersInUse() {
        return readPool.inUse() + writePool.inUse();
    }

    void returnWriteBuffer(ByteBuffer b) {
        writePool.release(b);
    }

    private void finishConnect(PeerConnection c) throws IOException {
        c.channel().finishConnect();
        c.phase(PeerConnection.Phase.HANDSHAKE);
        c.key().interestOps(SelectionKey.OP_READ);
        if (config.peerTls() != null && secureByAddress.containsKey(c.remote())) {
            c.startTls(config.peerTls().client(c.remote())); // a member: never plain (no downgrade on failure)
        }
        c.sendHandshake();
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getMessage());
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
                if (connections.size() >= config.maxConnections() && !evictForNewcomer()) {
                    ch.close();
                    continue;
                }
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                PeerConnection c = newConnection(ch, false, remote);
                if (config.peerTls() != null) {
                    c.sniffForTls();
                }
                c.key(ch.register(selector, SelectionKey.OP_READ, c));
            } catch (IOException e) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    /**
     * The connection table is full: makes room for a new connection by closing one between two seeds of a swarm
     * (office mates or not: it can carry nothing, and first seeds of one office kept one per swarm until the table
     * was full of them and no new swarm got a connection), else the oldest one that has not finished its handshake
     * (issue 10, case 4: half-open connections filled the table and blocked every real peer; a real newcomer's may
     * be among them, so they go after the seed pairs), else the longest idle one that never proved useful. False
     * when every connection is worth keeping.
     */
    private boolean evictForNewcomer() {
        if (closeSeedPair()) {
            return true;
        }
        PeerConnection halfOpen = null;
        for (PeerConnection c : connections) {
            if (c.phase() == PeerConnection.Phase.HANDSHAKE && !c.isOutgoing()
                    && (halfOpen == null || c.createdNanos() < halfOpen.createdNanos())) {
                halfOpen = c;
            }
        }
        PeerConnection victim = halfOpen != null ? halfOpen
                : PeerConnection.leastUseful(connections, now, config.evictIdleAfter().toNanos());
        if (victim == null) {
            return false;
        }
        close(victim, victim == halfOpen ? "no handshake yet: slot given to a new connection"
                : "idle: slot given to a new connection");
        return true;
    }

    /** Closes the connection between two seeds that moved a block longest ago, if there is one (it carries nothing). */
    private boolean closeSeedPair() {
        PeerConnection seeds = PeerConnection.idlestSeedPair(connections);
        if (seeds == null) {
            return false;
        }
        close(seeds, "both seeds: slot given to a new connection");
        return true;
    }

    void close(PeerConnection c, String reason) {
        if (c.phase() == PeerConnection.Phase.CLOSED) {
            return;
        }
        boolean wasActive = c.phase() == PeerConnection.Phase.ACTIVE;
        c.phase(PeerConnection.Phase.CLOSED);
        c.closeReason(reason);
        connections.remove(c);
        readWaiting.remove(c);
        uploadWaiting.remove(c);
        if (c.key() != null) {
            c.key().cancel();
        }
        readAgain.remove(c);
        try {
            if (c.tls() != null) {
                c.tls().close();
            } else {
                c.channel().close();
            }
        } catch (IOException ignored) {
            // nothing more to do with a socket we are dropping
        }
        returnBuffer(c.releaseReadBuffer());
        ByteBuffer w = c.releaseWriteBuffer();
        if (w != null) {
            writePool.release(w);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "closed " + c + ": " + reason);
        if (c.swarm() != null) {
            if (c.isOutgoing()) {
                c.swarm().dialEnded(c.remote());
            }
            if (wasActive) {
                c.swarm().peerClosed(c, reason);
            }
        }
    }

    void returnBuffer(ByteBuffer b) {
        if (b != null && b.isDirect() && b.capacity() == readPool.bufferSize()) {
            readPool.release(b);
        }
    }

    void closeHandshaking(Swarm swarm, String reason) {
        for (PeerConnection c : new ArrayList<>(connections)) {
            if (c.swarm() == swarm) {
                close(c, reason);
            }
        }
    }

    void markDirty(PeerConnection c) {
        dirty.add(c);
    }

    void waitForUploadBudget(PeerConnection c) {
        uploadWaiting.add(c);
    }

    // ---- the loop ------------------------------------------------------------------------------

    @Override
    public void run() {
        Thread.currentThread().setName("freshet-network");
        begin();
        try {
            while (running) {
                long timeoutMillis = Math.max(1, (nextTick - config.clock().getAsLong()) / 1_000_000);
                if (readAgain.isEmpty()) {
                    selector.select(timeoutMillis);
                } else {
                    selector.selectNow(); // decrypted input waits: no sleeping on the selector
                }
                step();
            }
        } catch (Throwable e) { // an Error too (out of memory): the loop is gone, and everyone must hear it at once
            end(e);
            return;
        }
        end(null);
    }

    private void begin() {
        long t = config.clock().getAsLong();
        nextTick = t + TICK;
        nextSecond = t + SECOND;
    }

    /** One round after a select: ready sockets, queued tasks, the tick when due, then pending writes. */
    private void step() throws IOException {
        now = config.clock().getAsLong();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            handleKey(key);
        }
        readBuffered();
        runTasks();
        if (now >= nextTick) {
            tick();
            nextTick = now + TICK;
        }
        flushDirty();
    }

    private void end(Throwable death) {
        if (death != null) {
            LOG.log(System.Logger.Level.ERROR, "network loop failed; the engine has stopped", death);
        }
        stopReason = death == null ? "closed" : death.toString();
        try {
            shutdown();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "closing the network loop after it stopped: " + e);
        }
        failPending();
        emit(new EngineEvent.EngineStopped(death != null, stopReason));
        stopped.countDown();
    }

    // ---- stepping, for a simulation (no thread of its own: whoever drives the clock calls these) ---------------

    private boolean begun;

    /**
     * Runs one round without waiting: what is ready now, the tick if due. False once the loop has stopped (then it
     * has shut down, as {@link #run} does).
     */
    boolean runOnce() {
        if (stopReason != null) {
            return false;
        }
        if (!begun) {
            begun = true;
            begin();
        }
        try {
            if (!running) {
                end(null);
                return false;
            }
            selector.selectNow();
            step();
            return true;
        } catch (Throwable e) {
            end(e);
            return false;
        }
    }

    /** When this loop next has something to do by itself (its next tick), on its clock. */
    long nextTickNanos() {
        return nextTick;
    }

    /** Whether tasks wait to run (a call from outside, a hashing result). */
    boolean hasTasks() {
        return !tasks.isEmpty() || !dirty.isEmpty() || !readAgain.isEmpty();
    }

    private void handleKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() == null) {
            accept();
            return;
        }
        if (key.attachment() instanceof MetadataFetch.Dial dial) {
            dial.ready(key);
            return;
        }
        PeerConnection c = (PeerConnection) key.attachment();
        try {
            if (key.isConnectable()) {
                finishConnect(c);
                return;
            }
            if (key.isReadable()) {
                readFrom(c);
            }
            if (c.phase() != PeerConnection.Phase.CLOSED && key.isValid() && key.isWritable()) {
                c.markDirty();
            }
        } catch (IOException | RuntimeException e) {
            failed(c, e);
        }
    }

    /** A connection's read or write failed: closed, saying why (a peer's protocol error is worth a line in the log). */
    private void failed(PeerConnection c, Exception e) {
        if (e instanceof ProtocolException) {
            LOG.log(System.Logger.Level.INFO, "protocol error from " + c + ": " + e.getMessage());
            close(c, "protocol error: " + e.getMessage());
        } else if (e instanceof IOException) {
            close(c, "connection lost: " + e.getMessage());
        } else {
            LOG.log(System.Logger.Level.WARNING, "unexpected failure on " + c, e);
            close(c, "internal error: " + e);
        }
    }

    private void readFrom(PeerConnection c) throws IOException {
        Swarm s = c.swarm();
        long budget = s == null ? TokenBucket.UNLIMITED : s.downloadBudget(c);
        if (budget <= 0) {
            pauseReading(c);
            return;
        }
        int n = c.read(budget);
        if (n < 0) {
            close(c, "closed by peer");
            return;
        }
        if (c.swarm() != null) {
            c.swarm().consumeDownload(c, n);
        }
        if (c.phase() != PeerConnection.Phase.CLOSED) {
            readAgainIfBuffered(c);
        }
    }

    /** Queues {@code c} to be read again this round when decrypted input waits in it (once). */
    private void readAgainIfBuffered(PeerConnection c) {
        if (c.hasBufferedInput() && !readAgain.contains(c)) {
            readAgain.add(c);
        }
    }

    /** Reads once more from the connections whose decrypted input waits (each may queue itself again). */
    private void readBuffered() {
        if (readAgain.isEmpty()) {
            return;
        }
        List<PeerConnection> now = new ArrayList<>(readAgain);
        readAgain.clear();
        for (PeerConnection c : now) {
            if (c.phase() == PeerConnection.Phase.CLOSED || c.readPaused()) {
                continue;
            }
            try {
                readFrom(c);
            } catch (IOException | RuntimeException e) {
                failed(c, e);
            }
        }
    }

    private void pauseReading(PeerConnection c) {
        if (!c.readPaused() && c.key().isValid()) {
            c.readPaused(true);
            c.key().interestOps(c.key().interestOps() & ~SelectionKey.OP_READ);
            readWaiting.add(c);
        }
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "engine task failed", e);
            }
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            PeerConnection c = dirty.get(i);
            if (c.doomed() != null) {
                close(c, c.doomed());
                continue;
            }
            if (c.phase() == PeerConnection.Phase.CLOSED || c.phase() == PeerConnection.Phase.CONNECTING) {
                c.clean();
                continue;
            }
            try {
                boolean done = c.flush();
                if (c.key().isValid()) {
                    int ops = c.readPaused() ? 0 : SelectionKey.OP_READ;
                    c.key().interestOps(done ? ops : ops | SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                close(c, "connection lost: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "unexpected failure writing to " + c, e);
                close(c, "internal error: " + e);
            }
        }
        dirty.clear();
    }

    private void tick() {
        lastTick = now;
        globalDownload.refill(now);
        globalUpload.refill(now);
        wan.refill(now);
        if (!readWaiting.isEmpty()) {
            for (Iterator<PeerConnection> it = readWaiting.iterator(); it.hasNext(); ) {
                PeerConnection c = it.next();
                if (c.swarm() == null || c.swarm().downloadBudget(c) > 0) {
                    it.remove();
                    c.readPaused(false);
                    if (c.key().isValid()) {
                        c.key().interestOps(c.key().interestOps() | SelectionKey.OP_READ);
                    }
                    readAgainIfBuffered(c);
                }
            }
        }
        if (!uploadWaiting.isEmpty()) {
            // a fresh refill, shared: each waiting connection may take its part before the next tick
            List<PeerConnection> waiting = new ArrayList<>(uploadWaiting);
            uploadWaiting.clear();
            for (PeerConnection c : waiting) {
                c.shareUploadBudget(waiting.size());
            }
            waiting.forEach(PeerConnection::markDirty);
        }
        if (now >= nextSecond) {
            nextSecond += SECOND;
            if (now > nextSecond) {
                nextSecond = now + SECOND;
            }
            for (PeerConnection c : new ArrayList<>(connections)) {
                long handshake = config.timeouts().handshake().toNanos();
                if (c.phase() != PeerConnection.Phase.ACTIVE && now - c.createdNanos() > handshake) {
                    close(c, "no handshake within " + handshake / SECOND + " s");
                }
            }
            markHeld();
            for (Swarm s : new ArrayList<>(swarms.values())) {
                s.tick(now);
            }
            for (MetadataFetch f : new ArrayList<>(fetches)) {
                f.tick(now);
            }
            scrub();
        }
    }

    private void shutdown() {
        for (MetadataFetch f : new ArrayList<>(fetches)) {
            f.abort("the engine stopped");
        }
        for (PeerConnection c : new ArrayList<>(connections)) {
            close(c, "engine stopped");
        }
        for (Swarm s : swarms.values()) {
            s.remove();
        }
        swarms.clear();
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the network loop: " + e.getMessage());
        }
    }
}

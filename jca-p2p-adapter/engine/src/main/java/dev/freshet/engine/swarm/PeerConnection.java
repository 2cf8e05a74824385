package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.picker.Block;
import dev.freshet.engine.ratelimit.TokenBucket;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.PeerId;
import dev.freshet.engine.wire.ProtocolException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Optional;

/**
 * One peer connection: its socket, buffers, protocol state and checks. Owned by the network thread.
 * Decisions (what to request, whom to unchoke, what a block means) belong to its {@link Swarm}.
 */
final class PeerConnection {
    enum Phase { CONNECTING, HANDSHAKE, ACTIVE, CLOSED }

    /** Requests a peer may queue with us beyond this are rejected (BEP 6) or dropped. */
    static final int MAX_QUEUED_UPLOADS = 2048;
    /**
     * Bytes of messages one connection may have waiting behind its write buffer. A peer that does not read
     * while it keeps sending (requests answered by rejects, say) is disconnected at this bound instead of
     * being buffered without end (issue 10, case 1).
     */
    static final int MAX_QUEUED_BYTES = 1 << 20;
    /** The request queue depth we advertise ({@code reqq}). */
    static final int ADVERTISED_REQQ = 1024;
    /** The extended message id we chose for BEP 9 {@code ut_metadata} (peers send it to us with this id). */
    static final int UT_METADATA_ID = 1;

    final NetworkLoop loop;
    private final SocketChannel channel;
    private final boolean outgoing;
    private final InetSocketAddress remote;
    private SelectionKey key;
    private Phase phase;
    private Swarm swarm;
    private final MessageCodec codec;
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;
    private final ArrayDeque<ByteBuffer> overflow = new ArrayDeque<>();
    private long overflowBytes;
    /** Set when this connection must be closed at the next flush (a bound was crossed while a caller iterates). */
    private String doomed;
    private boolean handshakeSent;

    // protocol state (BEP 3 names): read through the methods below; changed by the wire, or by the methods that
    // say what they do (choke, unchoke, declareInterest, forgetPiece)
    private boolean amChoking = true;
    private boolean amInterested;
    private boolean peerChoking = true;
    private boolean peerInterested;
    private boolean fastExtension;
    private boolean extensionProtocol;
    private PeerId peerId;
    private ExtensionHandshake extensionHandshake;
    private BitSet peerPieces;
    private int peerPieceCount;
    private boolean bitfieldAllowed = true;

    // download side: requests we sent, in order, with the time sent
    private final OutstandingRequests pending = new OutstandingRequests();
    /**
     * Blocks asked of this peer whose requests we stopped waiting for (timed out, or it seemed to hang), oldest first:
     * if they come after all they are kept ({@link Swarm#blockArrived}), not dropped as unrequested. A slow peer
     * (one flow among hundreds on a slow shared link) is not a dead one, and what it sent cost its uplink already.
     */
    private final java.util.LinkedHashSet<Block> givenUp = new java.util.LinkedHashSet<>();
    /** The most given-up requests remembered (the oldest are forgotten first): about a request queue's worth. */
    static final int MAX_GIVEN_UP = 1024;
    private int pipelineTarget = 64;
    // upload side: requests the peer sent, and the block being sent
    private final ArrayDeque<Message.Request> uploads = new ArrayDeque<>();
    /**
     * Requests a first seed holds back (in order, after {@link #uploads}): for pieces it will send this peer once
     * the pieces it already has from us in flight are done ({@link FirstSeed}). Rejecting them instead made the
     * peer shun each such piece for a second; having soon shunned them all, it asked us for nothing, and the
     * publisher's link sat idle for a second at a time.
     */
    private final ArrayDeque<Message.Request> held = new ArrayDeque<>();
    /**
     * Bytes this connection may still upload before the next tick, when uploads are rate-limited: the loop
     * shares each refill among the connections waiting for it, so the first in line cannot take it all.
     */
    private long uploadAllowance = TokenBucket.UNLIMITED;
    private Message.Request sending;
    private int sendingDone;

    private final RateMeter downloadRate = new RateMeter();
    private final RateMeter uploadRate = new RateMeter();
    private long lastReceivedNanos;
    private long lastSentNanos;
    private final long createdNanos;
    /** When a block last went either way: how a peer proves useful (idle ones are evicted first when slots run out). */
    private long lastPayloadNanos;
    /** Payload bytes sent on this connection, for the bound on what one peer may take (see {@link #onRequest}). */
    private long uploadedBytes;
    /** A peer of this node's own cluster (named by the control plane): never evicted for an outsider. */
    private boolean preferred;
    /** Its {@link PeerPreference} rank (lower is asked first); 0 while peers are not ranked. */
    private int rank;
    private boolean readPaused;
    private boolean dirty;
    /** Blocks arrived during this read: ask for more once it is handled. */
    private boolean wantsRequests;
    private int metadataRequests;
    private String closeReason;
    /** TLS with a member of the cluster (null: plain BitTorrent). */
    private dev.freshet.engine.tls.TlsChannel tls;
    /** An incoming connection whose first byte says yet whether it is TLS (a member) or plain BitTorrent. */
    private boolean sniffing;
    /** The TLS handshake ran at the last read: when it ends, what waited for it goes out. */
    private boolean tlsHandshaking;
    /**
     * When it last announced a piece its office counts on it for (see {@code OfficeShare}), or sent its bitfield, or
     * became active: how its office sees that it gets its share.
     */
    private long lastAnnouncedNanos;
    private long lastHaveNanos;

    PeerConnection(NetworkLoop loop, SocketChannel channel, boolean outgoing, InetSocketAddress remote,
                   MessageCodec codec, long now) {
        this.loop = loop;
        this.channel = channel;
        this.outgoing = outgoing;
        this.remote = remote;
        this.codec = codec;
        this.phase = outgoing ? Phase.CONNECTING : Phase.HANDSHAKE;
        this.createdNanos = now;
        this.lastReceivedNanos = now;
        this.lastSentNanos = now;
        this.lastPayloadNanos = now;
    }

    // ---- the loop's book-keeping -------------------------------------------------------------

    SelectionKey key() {
        return key;
    }

    void key(SelectionKey key) {
        this.key = key;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase phase) {
        this.phase = phase;
    }

    /** Reading is paused until the download budget refills. */
    boolean readPaused() {
        return readPaused;
    }

    void readPaused(boolean paused) {
        readPaused = paused;
    }

    /** Nothing waits to be flushed any more (the loop's dirty list forgets it). */
    void clean() {
        dirty = false;
    }

    void closeReason(String reason) {
        closeReason = reason;
    }

    /** Blocks arrived during this read: the swarm asks for more once the whole read is handled. */
    void wantRequestsAfterRead() {
        wantsRequests = true;
    }

    /** One more BEP 9 metadata request from it; answers how many it has made. */
    int countMetadataRequest() {
        return ++metadataRequests;
    }

    // ---- identity, book-keeping and rates, for the swarm and the loop -----------------------

    /** The far end of the socket. */
    InetSocketAddress remote() {
        return remote;
    }

    /** We dialled it (else it dialled us). */
    boolean isOutgoing() {
        return outgoing;
    }

    SocketChannel channel() {
        return channel;
    }

    long createdNanos() {
        return createdNanos;
    }

    /**
     * Pieces this peer refused while unchoking us (a first seed sends each piece out once): not asked of it again
     * for {@link #REFUSAL_NANOS}, so that they are taken from peers that have them (or asked again later).
     */
    private BitSet refusedPieces;
    private long refusedSince;
    static final long REFUSAL_NANOS = 1_000_000_000L;

    private void refused(int piece) {
        if (refusedPieces == null) {
            refusedPieces = new BitSet();
            refusedSince = loop.now();
        }
        refusedPieces.set(piece);
    }

    /** What it refused lately (see {@link #refused}), or null; forgotten {@link #REFUSAL_NANOS} after the first. */
    BitSet refusedPieces() {
        if (refusedPieces != null && loop.now() - refusedSince >= REFUSAL_NANOS) {
            refusedPieces = null;
        }
        return refusedPieces;
    }

    /**
     * Whether we have bytes for it that its socket has not taken (its send buffer is full: the path to it is busy) or
     * requests of it that wait to be sent.
     */
    boolean hasQueuedUploads() {
        return !uploads.isEmpty() || sending != null || !overflow.isEmpty()
                || (writeBuffer != null && writeBuffer.position() > 0);
    }

    /** Whether a block of {@code piece} it asked for still waits in our upload queue. */
    boolean hasQueuedUpload(int piece) {
        for (Message.Request r : uploads) {
            if (r.piece() == piece) {
                return true;
            }
        }
        return false;
    }

    /** It announced one of its pieces (or its bitfield, or just became active) at {@code now}. */
    void announced(long now) {
        lastAnnouncedNanos = now;
    }

    /** When it last told us of a piece it got (a HAVE, or its bitfield): whether it is getting anywhere. */
    long lastHaveNanos() {
        return lastHaveNanos;
    }

    void heardHave(long now) {
        lastHaveNanos = now;
    }

    long lastAnnouncedNanos() {
        return lastAnnouncedNanos;
    }

    /** The swarm it belongs to: set when we dial, or when its handshake names one; null before. */
    Swarm swarm() {
        return swarm;
    }

    void attach(Swarm swarm) {
        this.swarm = swarm;
    }

    /** Our requests to it that wait for their blocks, in order, with the time sent. */
    OutstandingRequests pending() {
        return pending;
    }

    /**
     * It seemed to hang and speaks again: it was slow, not dead, and sends what it was asked (we sent no cancel), so
     * the requests we stopped waiting for are outstanding again, those whose blocks nobody else was asked for since
     * (the others stay given up: kept if they come). Asking again instead doubled what it sent.
     */
    private void reclaimGivenUp() {
        long now = loop.now();
        for (java.util.Iterator<Block> it = givenUp.iterator(); it.hasNext(); ) {
            Block b = it.next();
            if (swarm.reclaim(b)) {
                pending.add(b, now);
                it.remove();
            }
        }
    }

    /** We stopped waiting for {@code block} (its request ended without it); it is kept should it come after all. */
    void gaveUp(Block block) {
        givenUp.add(block);
        if (givenUp.size() > MAX_GIVEN_UP) {
            givenUp.remove(givenUp.iterator().next());
        }
    }

    /** Its queued requests for blocks of {@code piece} are dropped (we no longer have the piece). */
    void dropQueuedUploads(int piece) {
        uploads.removeIf(r -> r.piece() == piece);
        held.removeIf(r -> r.piece() == piece);
    }

    /**
     * Moves held requests, in order, to the upload queue while the swarm now serves them, rejects those it now
     * refuses, and stops at the first it still holds back.
     */
    void releaseHeld() {
        boolean moved = false;
        while (!held.isEmpty() && !amChoking && doomed == null) {
            Message.Request r = held.peekFirst();
            Swarm.Serve decision = swarm.serve(this, r.piece());
            if (decision == Swarm.Serve.HOLD) {
                break;
            }
            held.pollFirst();
            if (decision == Swarm.Serve.NOW) {
                uploads.add(r);
                moved = true;
            } else if (fastExtension) {
                send(new Message.RejectRequest(r.piece(), r.begin(), r.length()));
            }
        }
        if (moved) {
            markDirty();
        }
    }

    /** Forgets every request it queued with us, to be served or held. */
    private void dropRequests() {
        uploads.clear();
        held.clear();
    }

    boolean holdsRequests() {
        return !held.isEmpty();
    }

    /** Payload bytes per second from it, and to it (about the last few seconds). */
    long downloadRate() {
        return downloadRate.rate();
    }

    long uploadRate() {
        return uploadRate.rate();
    }

    /** A second has passed: the rates take their sample. */
    void sampleRates() {
        downloadRate.sample(1.0);
        uploadRate.sample(1.0);
    }

    /** Nothing has come from it for longer than {@code nanos} at {@code now}. */
    boolean silentFor(long now, long nanos) {
        return now - lastReceivedNanos > nanos;
    }

    /** A peer that owes us blocks and has sent nothing for this long no longer serves us (it hangs, or its link died). */
    static final long UNRESPONSIVE_NANOS = 5_000_000_000L;

    /**
     * Whether it still serves us: not {@link #unresponsive}, and not a peer that chokes us and has said nothing for
     * {@link #UNRESPONSIVE_NANOS} (an office peer unchokes office peers at once, so one that does not, silently, hangs).
     */
    boolean serving(long now) {
        return !unresponsive(now) && !(peerChoking && silentFor(now, UNRESPONSIVE_NANOS));
    }

    /** When it was found unresponsive (see {@link #unresponsive}); it stays so until it sends something. */
    private long hungSince = Long.MIN_VALUE;

    /**
     * It owed us blocks and was silent for {@link #UNRESPONSIVE_NANOS}; it stays unresponsive (not asked, not counted
     * on) until it sends us something again.
     */
    boolean unresponsive(long now) {
        if (hungSince != Long.MIN_VALUE && lastReceivedNanos <= hungSince) {
            return true;
        }
        if (!pending.isEmpty() && silentFor(now, UNRESPONSIVE_NANOS)) {
            hungSince = now;
            return true;
        }
        return false;
    }

    /** We have sent it nothing for longer than {@code nanos} at {@code now}. */
    boolean quietFor(long now, long nanos) {
        return now - lastSentNanos > nanos;
    }

    // ---- protocol state, for the swarm's decisions ------------------------------------------

    /** We refuse to serve its requests (BEP 3 am_choking). */
    boolean amChoking() {
        return amChoking;
    }

    /** We want something it has (BEP 3 am_interested). */
    boolean amInterested() {
        return amInterested;
    }

    /** It refuses to serve our requests. */
    boolean peerChoking() {
        return peerChoking;
    }

    /** It wants something we have. */
    boolean peerInterested() {
        return peerInterested;
    }

    /** It speaks BEP 6 (fast extension): rejects instead of silently dropping requests. */
    boolean supportsFast() {
        return fastExtension;
    }

    /** It speaks BEP 10 (extension protocol). */
    boolean supportsExtensions() {
        return extensionProtocol;
    }

    /** Its BEP 10 handshake, once it came (null before). */
    ExtensionHandshake extensionHandshake() {
        return extensionHandshake;
    }

    /** Its peer id, once its handshake came (null before). */
    PeerId peerId() {
        return peerId;
    }

    /** The pieces it has (its bitfield and HAVEs; null before it said); the set itself, not a copy: do not change it. */
    BitSet peerPieces() {
        return peerPieces;
    }

    int peerPieceCount() {
        return peerPieceCount;
    }

    /** Requests to keep in flight to it: about a second of its rate. */
    int pipelineTarget() {
        return pipelineTarget;
    }

    void pipelineTarget(int target) {
        pipelineTarget = target;
    }

    /** One of this node's cluster ({@link NetworkLoop#preferPeers}): never evicted for an outsider. */
    boolean isClusterMember() {
        return preferred;
    }

    void clusterMember(boolean member) {
        preferred = member;
    }

    /** Its {@link PeerPreference} rank: lower is asked first. */
    int rank() {
        return rank;
    }

    /** A peer of this node's own office: rank 0 while peers are ranked (issue 12). */
    boolean inOffice() {
        return rank == 0 && loop.ranksPeers();
    }

    /** A peer outside this node's office, across its WAN link: rank above 0 while peers are ranked. */
    boolean outsideOffice() {
        return rank > 0 && loop.ranksPeers();
    }

    void rank(int rank) {
        this.rank = rank;
    }

    /** Serves its requests from now on; false when it was not choked. */
    boolean unchoke() {
        if (!amChoking) {
            return false;
        }
        amChoking = false;
        send(new Message.Unchoke());
        return true;
    }

    /** Stops serving it; a fast-extension peer is told which of its queued requests will not be served (BEP 6). */
    boolean choke() {
        if (amChoking) {
            return false;
        }
        amChoking = true;
        send(new Message.Choke());
        if (fastExtension) {
            for (Message.Request r : uploads) {
                send(new Message.RejectRequest(r.piece(), r.begin(), r.length()));
            }
            for (Message.Request r : held) {
                send(new Message.RejectRequest(r.piece(), r.begin(), r.length()));
            }
        }
        dropRequests();
        return true;
    }

    /** Tells it whether we want something it has; false when that was so already. */
    boolean declareInterest(boolean interested) {
        if (interested == amInterested) {
            return false;
        }
        amInterested = interested;
        send(interested ? new Message.Interested() : new Message.NotInterested());
        return true;
    }

    /** Counts it as no longer having {@code piece} (its copy failed here) until it announces it again; false if it had not. */
    boolean forgetPiece(int piece) {
        if (peerPieces == null || !peerPieces.get(piece)) {
            return false;
        }
        peerPieces.clear(piece);
        peerPieceCount--;
        return true;
    }

    /** Marks the connection for closing at the next flush, with {@code reason}; nothing more is queued. */
    void doom(String reason) {
        if (doomed == null) {
            doomed = reason;
            overflow.clear();
            overflowBytes = 0;
            dropRequests();
            markDirty();
        }
    }

    /** Why this connection must close, or null. */
    String doomed() {
        return doomed;
    }

    /** Whether it never proved useful: no block either way for {@code idleNanos}, and not one of our cluster's. */
    boolean evictable(long now, long idleNanos) {
        return !preferred && now - lastPayloadNanos > idleNanos;
    }

    /** The active connection that moved a block longest ago among the {@link #evictable} ones, or null. */
    static PeerConnection leastUseful(Iterable<PeerConnection> connections, long now, long idleNanos) {
        return longestWithoutBlock(connections, c -> c.evictable(now, idleNanos));
    }

    /** Of the active connections for which {@code candidate} holds, the one that moved a block longest ago, or null. */
    private static PeerConnection longestWithoutBlock(Iterable<PeerConnection> connections,
                                                      java.util.function.Predicate<PeerConnection> candidate) {
        PeerConnection victim = null;
        for (PeerConnection c : connections) {
            if (c.phase == Phase.ACTIVE && candidate.test(c)
                    && (victim == null || c.lastPayloadNanos < victim.lastPayloadNanos)) {
                victim = c;
            }
        }
        return victim;
    }

    /**
     * The active connection across the WAN (another office's or an outsider's) that is least worth keeping, or null:
     * an outsider before a member of this cluster, then the one that moved a block longest ago.
     */
    static PeerConnection leastUsefulAcrossWan(Iterable<PeerConnection> connections) {
        PeerConnection victim = null;
        for (PeerConnection c : connections) {
            if (c.phase == Phase.ACTIVE && c.outsideOffice() && (victim == null
                    || (c.preferred == victim.preferred ? c.lastPayloadNanos < victim.lastPayloadNanos : !c.preferred))) {
                victim = c;
            }
        }
        return victim;
    }

    /** The address a peer listens on: its listen port from BEP 10 {@code p} if it came to us. */
    InetSocketAddress listenAddress() {
        if (outgoing) {
            return remote;
        }
        Optional<Integer> p = extensionHandshake == null ? Optional.empty() : extensionHandshake.listenPort();
        return p.map(port -> new InetSocketAddress(remote.getAddress(), port)).orElse(remote);
    }

    /** The id the peer chose for {@code ut_metadata}, or 0 if it does not speak it. */
    int peerMetadataId() {
        return extensionHandshake == null ? 0
                : extensionHandshake.extensions().getOrDefault(dev.freshet.engine.wire.MetadataMessage.EXTENSION, 0);
    }

    String client() {
        if (extensionHandshake != null && extensionHandshake.client().isPresent()) {
            return extensionHandshake.client().get();
        }
        return peerId == null ? "" : peerId.toString();
    }

    boolean isSeed() {
        return peerPieces != null && swarm != null && peerPieceCount == swarm.layout.pieceCount();
    }

    /**
     * Both ends hold every piece: the connection can carry no block (a first seed keeps such a connection to an
     * office mate only for what it tells, see {@code Swarm.keepsSeed}), so it is the first to give its slot up.
     */
    boolean nothingToTrade() {
        return phase == Phase.ACTIVE && isSeed() && swarm.state == SwarmState.SEEDING;
    }

    /** Of the connections with {@link #nothingToTrade}, the one that moved a block longest ago, or null. */
    static PeerConnection idlestSeedPair(Iterable<PeerConnection> connections) {
        return longestWithoutBlock(connections, PeerConnection::nothingToTrade);
    }

    ByteBuffer releaseReadBuffer() {
        ByteBuffer b = readBuffer;
        readBuffer = null;
        return b;
    }

    ByteBuffer releaseWriteBuffer() {
        ByteBuffer b = writeBuffer;
        writeBuffer = null;
        return b;
    }

    // ---- reading -------------------------------------------------------------------------------

    /** Reads what the socket has (up to {@code budget} bytes) and handles every whole message. Returns bytes read, -1 at end of stream. */
    int read(long budget) throws IOException {
        if (readBuffer == null) {
            readBuffer = loop.takeReadBuffer();
        }
        if (readBuffer.remaining() == 0) {
            growReadBuffer();
        }
        int limit = readBuffer.limit();
        if (budget < readBuffer.remaining()) {
            readBuffer.limit(readBuffer.position() + (int) Math.max(1, budget));
        }
        int n = tls != null ? tlsRead() : channel.read(readBuffer);
        if (n > 0 && sniffing) {
            n = sniff(n);
        }
        readBuffer.limit(limit);
        if (tls != null) {
            boolean handshaking = tls.handshaking();
            if (handshaking || tlsHandshaking || tls.hasPendingOutput()) {
                markDirty(); // handshake messages or records to send, or what waited for the handshake to end: the
                             // loop's flush writes them, not this read
            }
            tlsHandshaking = handshaking;
        }
        if (n < 0) {
            return -1;
        }
        if (n > 0) {
            boolean wasHung = hungSince != Long.MIN_VALUE && lastReceivedNanos <= hungSince;
            lastReceivedNanos = loop.now();
            if (wasHung && !givenUp.isEmpty()) {
                reclaimGivenUp(); // before the bytes are read: they may be the very blocks
            }
            readBuffer.flip();
            try {
                process();
            } finally {
                if (readBuffer != null) {
                    readBuffer.compact();
                }
            }
            releaseIdleReadBuffer();
            if (wantsRequests && phase == Phase.ACTIVE) {
                wantsRequests = false;
                swarm.requestMore(this);
            }
        }
        return n;
    }

    private int tlsRead() throws IOException {
        try {
            return tls.read(readBuffer);
        } catch (javax.net.ssl.SSLException e) {
            throw new ProtocolException("TLS refused: " + e.getMessage());
        }
    }

    /**
     * The first bytes of an incoming connection: a TLS record (0x16, a ClientHello) is a member of the cluster, which
     * speaks TLS; anything else is plain BitTorrent (its handshake starts with 19, "BitTorrent protocol"). Answers the
     * plaintext bytes in the read buffer after.
     */
    private int sniff(int n) throws IOException {
        sniffing = false;
        int start = readBuffer.position() - n;
        if (readBuffer.get(start) != 0x16) {
            return n;
        }
        ByteBuffer hello = readBuffer.duplicate();
        hello.limit(readBuffer.position()).position(start);
        try {
            tls = new dev.freshet.engine.tls.TlsChannel(channel, loop.peerTls().server());
            tls.feed(hello);
        } catch (javax.net.ssl.SSLException e) {
            throw new ProtocolException("TLS refused: " + e.getMessage());
        }
        readBuffer.position(start);
        return tlsRead();
    }

    /** Dialled a member: TLS before the BitTorrent handshake (which waits in the write buffer until it is done). */
    void startTls(javax.net.ssl.SSLEngine engine) throws IOException {
        tls = new dev.freshet.engine.tls.TlsChannel(channel, engine);
    }

    /** An incoming connection on an engine that speaks TLS with members: its first byte decides. */
    void sniffForTls() {
        sniffing = true;
    }

    /** The TLS stream with a member, if this connection is one. */
    dev.freshet.engine.tls.TlsChannel tls() {
        return tls;
    }

    /** Plaintext already decrypted waits for the next read (the selector does not know of it). */
    boolean hasBufferedInput() {
        return tls != null && tls.hasBufferedInput();
    }

    private java.nio.channels.ByteChannel wire() {
        return tls != null ? tls : channel;
    }

    /** An idle connection holds no buffer: only a partial message keeps one between reads. */
    private void releaseIdleReadBuffer() {
        if (readBuffer != null && readBuffer.position() == 0 && phase != Phase.CLOSED) {
            loop.returnBuffer(readBuffer);
            readBuffer = null;
        }
    }

    /** The buffer is full with one incomplete message: move it to a heap buffer large enough, until consumed. */
    private void growReadBuffer() {
        readBuffer.flip();
        int frame = codec.peekFrameLength(readBuffer);
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(frame, readBuffer.capacity() * 2));
        bigger.put(readBuffer);
        loop.returnBuffer(readBuffer);
        readBuffer = bigger;
    }

    private void process() {
        while (phase != Phase.CLOSED && doomed == null) {
            if (phase == Phase.HANDSHAKE) {
                if (!processHandshake()) {
                    return;
                }
                continue;
            }
            if (phase != Phase.ACTIVE) {
                return;
            }
            Message m = codec.decode(readBuffer);
            if (m == null) {
                return; // incomplete: a message larger than the buffer makes it grow once the buffer is full
            }
            if (m instanceof Message.Piece p) {
                bitfieldAllowed = false;
                onPiece(p);
            } else {
                handleControl(m);
            }
        }
    }

    private boolean processHandshake() {
        if (swarm == null) {
            if (!Handshake.checkPrefix(readBuffer)) {
                return false;
            }
            InfoHash hash = Handshake.peekInfoHash(readBuffer);
            Swarm s = loop.swarmFor(hash);
            if (s == null) {
                loop.close(this, "refused: no swarm for info-hash " + hash);
                return false;
            }
            String refusal = s.refusal(this);
            if (refusal != null) {
                loop.close(this, "refused: " + refusal);
                return false;
            }
            swarm = s;
        }
        Handshake h = Handshake.decode(readBuffer);
        if (h == null) {
            return false;
        }
        if (!h.infoHash().equals(swarm.infoHash)) {
            throw new ProtocolException("handshake for another info-hash " + h.infoHash());
        }
        if (h.peerId().equals(loop.peerId())) {
            loop.markSelf(remote);
            throw new ProtocolException("connected to ourselves");
        }
        String downgrade = loop.tlsRefusal(this, h.peerId());
        if (downgrade != null) {
            loop.close(this, "refused: " + downgrade);
            return false;
        }
        if (outgoing && tls != null) {
            loop.peerTls().dialled(remote, tls.engine()); // its ticket came before this handshake
        }
        peerId = h.peerId();
        preferred = loop.isPreferred(peerId);
        rank = loop.rankOf(this);
        if (!outgoing && !swarm.makeRoom(this)) {
            loop.close(this, "refused: swarm " + swarm.infoHash + " takes no more peers");
            return false;
        }
        fastExtension = h.supportsFastExtension();
        extensionProtocol = h.supportsExtensionProtocol();
        if (!handshakeSent) {
            sendHandshake();
        }
        phase = Phase.ACTIVE;
        peerPieces = new BitSet(swarm.layout.pieceCount());
        swarm.peerActive(this);
        return true;
    }

    void sendHandshake() {
        ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
        Handshake.ours(swarm.infoHash, loop.peerId()).encode(hs);
        hs.flip();
        writeBuffer().put(hs);
        handshakeSent = true;
        markDirty();
    }

    /** Every message but piece (kept apart: the per-block path stays small for the JIT). */
    private void handleControl(Message m) {
        if (m instanceof Message.KeepAlive || m instanceof Message.Port || m instanceof Message.SuggestPiece) {
            return;
        }
        if (m instanceof Message.Extended e) {
            onExtended(e);
            return;
        }
        if (m instanceof Message.AllowedFast) {
            requireFast(m);
            return; // we do not request while choked; nothing to keep
        }
        boolean first = bitfieldAllowed;
        bitfieldAllowed = false;
        int pieces = swarm.layout.pieceCount();
        if (m instanceof Message.Bitfield b) {
            if (!first) {
                throw new ProtocolException("bitfield after other messages");
            }
            setPeerPieces(b.toBitSet(pieces));
        } else if (m instanceof Message.HaveAll) {
            requireFast(m);
            if (!first) {
                throw new ProtocolException("have-all after other messages");
            }
            BitSet all = new BitSet(pieces);
            all.set(0, pieces);
            setPeerPieces(all);
        } else if (m instanceof Message.HaveNone) {
            requireFast(m);
            if (!first) {
                throw new ProtocolException("have-none after other messages");
            }
        } else if (m instanceof Message.Have h) {
            if (h.piece() >= pieces) {
                throw new ProtocolException("have for piece " + h.piece() + " of " + pieces);
            }
            if (!peerPieces.get(h.piece())) {
                peerPieces.set(h.piece());
                peerPieceCount++;
                swarm.peerHas(this, h.piece());
            }
        } else if (m instanceof Message.Choke) {
            peerChoking = true;
            if (!fastExtension) {
                givenUp.clear(); // BEP 3: a choke discards every request; BEP 6 peers reject them one by one
            }
            swarm.peerChoked(this);
        } else if (m instanceof Message.Unchoke) {
            peerChoking = false;
            swarm.peerUnchoked(this);
        } else if (m instanceof Message.Interested) {
            peerInterested = true;
            swarm.peerInterestChanged(this);
        } else if (m instanceof Message.NotInterested) {
            peerInterested = false;
            dropRequests();
            swarm.peerInterestChanged(this);
        } else if (m instanceof Message.Request r) {
            onRequest(r);
        } else if (m instanceof Message.Cancel c) {
            Message.Request cancelled = new Message.Request(c.piece(), c.begin(), c.length());
            if (!uploads.remove(cancelled)) {
                held.remove(cancelled);
            }
        } else if (m instanceof Message.RejectRequest r) {
            requireFast(m);
            Block block = blockOf(r.piece(), r.begin(), r.length());
            if (block != null) {
                givenUp.remove(block); // it will not come
            }
            if (block != null && pending.remove(block)) {
                if (!peerChoking) {
                    refused(r.piece()); // it has the piece but will not send it now (a first seed): ask others
                }
                swarm.requestEnded(this, block);
            }
        }
    }

    private void requireFast(Message m) {
        if (!fastExtension) {
            throw new ProtocolException(m.getClass().getSimpleName() + " without the fast extension");
        }
    }

    private void setPeerPieces(BitSet pieces) {
        peerPieces = pieces;
        peerPieceCount = pieces.cardinality();
        swarm.peerBitfield(this);
    }

    private void onRequest(Message.Request r) {
        if (!swarm.layout.isValidRange(r.piece(), r.begin(), r.length())) {
            throw new ProtocolException("request outside the torrent: piece " + r.piece() + " offset " + r.begin()
                    + " length " + r.length());
        }
        if (uploadedBytes > swarm.uploadAllowancePerPeer()) {
            // a peer needs each block once (a piece again after a failed hash check): one that asks for the
            // same data over and over takes upload from everyone else
            throw new ProtocolException("asked for more than twice the torrent's size (" + uploadedBytes
                    + " bytes sent on this connection)");
        }
        Swarm.Serve decision = amChoking || uploads.size() + held.size() >= MAX_QUEUED_UPLOADS ? Swarm.Serve.NEVER
                : !held.isEmpty() ? Swarm.Serve.HOLD // behind the ones held: in order
                : swarm.serve(this, r.piece());
        switch (decision) {
            case NOW -> {
                uploads.add(r);
                markDirty();
            }
            case HOLD -> held.add(r);
            case NEVER -> {
                if (fastExtension) {
                    send(new Message.RejectRequest(r.piece(), r.begin(), r.length()));
                }
            }
        }
    }

    private void onPiece(Message.Piece p) {
        Block block = blockOf(p.piece(), p.begin(), p.block().remaining());
        boolean late = block != null && !pending.remove(block);
        if (block == null || (late && !givenUp.remove(block))) {
            // not requested from this peer (late after a cancel, or unsolicited): ignore, never store
            swarm.unrequestedBlock(this, p.block().remaining());
            return;
        }
        downloadRate.add(p.block().remaining());
        lastPayloadNanos = loop.now();
        swarm.blockArrived(this, block, p.block(), late); // late: asked for, and we had stopped waiting for it
    }

    /** The block a (piece, begin, length) triple names, if it is exactly one of our 16 KiB blocks. */
    Block blockOf(int piece, int begin, int length) {
        PieceLayout layout = swarm.layout;
        if (piece >= layout.pieceCount() || begin % PieceLayout.BLOCK_SIZE != 0) {
            return null;
        }
        int index = begin / PieceLayout.BLOCK_SIZE;
        if (index >= layout.blocksInPiece(piece) || layout.blockSize(piece, index) != length) {
            return null;
        }
        return new Block(piece, index);
    }

    private void onExtended(Message.Extended e) {
        if (!extensionProtocol) {
            throw new ProtocolException("extended message without the extension protocol bit");
        }
        if (e.extendedId() == 0) {
            extensionHandshake = ExtensionHandshake.parse(e.payload());
            swarm.peerExtensionHandshake(this);
        } else if (e.extendedId() == UT_METADATA_ID) {
            dev.freshet.engine.wire.MetadataMessage.parse(e.payload()).ifPresent(m -> swarm.metadataMessage(this, m));
        }
        // other extension messages: not spoken, ignored as BEP 10 asks
    }

    // ---- writing -------------------------------------------------------------------------------

    /**
     * Queues {@code m}. While a block is on its way (its header queued or its payload partly sent),
     * messages wait in the overflow queue so that nothing lands inside the piece message.
     */
    void send(Message m) {
        if (phase == Phase.CLOSED || doomed != null) {
            return; // a closed connection holds no buffers and must not take one
        }
        int length = MessageCodec.encodedLength(m);
        if (sending == null && overflow.isEmpty() && writeBuffer().remaining() >= length) {
            MessageCodec.encode(m, writeBuffer);
        } else if (overflowBytes + length > MAX_QUEUED_BYTES) {
            doom("peer does not read: more than " + MAX_QUEUED_BYTES + " bytes queued for it");
            return;
        } else {
            ByteBuffer b = ByteBuffer.allocate(length);
            MessageCodec.encode(m, b);
            b.flip();
            overflow.add(b);
            overflowBytes += length;
        }
        markDirty();
    }

    void markDirty() {
        if (!dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /**
     * Writes queued messages and then queued blocks while the socket takes them and the upload budget
     * lasts. Returns true when everything queued is written (no need for OP_WRITE).
     *
     * <p>Order on the wire: the write buffer (which, while a block is in flight, ends with that block's
     * header), then the block's payload, then the overflow queue.
     */
    boolean flush() throws IOException {
        dirty = false;
        if (tls != null && tls.handshaking()) {
            // only handshake messages go out now; the rest waits for the handshake, whose end a read sees (without
            // this, OP_WRITE would wake the loop again and again for a write that cannot take anything yet)
            tlsHandshaking = true;
            return tls.flush();
        }
        if (writeBuffer == null && overflow.isEmpty() && sending == null && (amChoking || uploads.isEmpty())) {
            return tls == null || tls.flush();
        }
        writeBuffer();
        boolean done = flushAll();
        if (tls != null && !tls.flush()) {
            done = false; // records still wait for the socket
        }
        if (done && writeBuffer != null && writeBuffer.position() == 0 && overflow.isEmpty() && sending == null) {
            // nothing left to send: give the buffer back until there is
            loop.returnWriteBuffer(writeBuffer);
            writeBuffer = null;
        }
        return done;
    }

    private ByteBuffer writeBuffer() {
        if (writeBuffer == null) {
            writeBuffer = loop.takeWriteBuffer();
        }
        return writeBuffer;
    }

    private boolean flushAll() throws IOException {
        while (true) {
            if (!drainWriteBuffer()) {
                return false;
            }
            if (sending != null) {
                long n = swarm.storage.transferTo(sending.piece(), sending.begin() + sendingDone,
                        sending.length() - sendingDone, wire());
                if (n > 0) {
                    lastSentNanos = loop.now();
                    sendingDone += (int) n;
                }
                if (sendingDone < sending.length()) {
                    return false;
                }
                sentBlock(sending.length());
                sending = null;
            }
            if (!drainOverflow()) {
                return false;
            }
            // write buffer and overflow are empty here: the next block may start
            if (amChoking || uploads.isEmpty() || phase != Phase.ACTIVE) {
                return true;
            }
            // transferTo a TLS channel is no zero-copy: the JDK reads the file 8 KiB at a time into a fresh heap
            // buffer and the channel makes a record of each; blocks copied into the write buffer make full records
            if (swarm.storageCanTransfer() && tls == null) {
                Message.Request next = uploads.peekFirst();
                if (uploadBudget() < next.length()) {
                    loop.waitForUploadBudget(this);
                    return true;
                }
                uploads.pollFirst();
                consumeUpload(next.length());
                MessageCodec.encodePieceHeader(next.piece(), next.begin(), next.length(), writeBuffer);
                sending = next;
                sendingDone = 0;
            } else if (!copyBlocksIntoWriteBuffer()) {
                loop.waitForUploadBudget(this);
                return true;
            }
        }
    }

    /**
     * Without zero-copy: reads as many queued blocks as fit (and the budget allows) into the write
     * buffer behind their headers, to go out in one write. False if not even one could be taken.
     */
    private boolean copyBlocksIntoWriteBuffer() {
        boolean any = false;
        while (!uploads.isEmpty()) {
            Message.Request r = uploads.peekFirst();
            if (writeBuffer.remaining() < r.length() + 13 || uploadBudget() < r.length()) {
                break;
            }
            uploads.pollFirst();
            consumeUpload(r.length());
            MessageCodec.encodePieceHeader(r.piece(), r.begin(), r.length(), writeBuffer);
            ByteBuffer dst = writeBuffer.slice(writeBuffer.position(), r.length());
            swarm.storage.read(r.piece(), r.begin(), dst);
            writeBuffer.position(writeBuffer.position() + r.length());
            sentBlock(r.length());
            any = true;
        }
        return any;
    }

    private long uploadBudget() {
        return Math.min(swarm.uploadBudget(this), uploadAllowance);
    }

    private void consumeUpload(int length) {
        swarm.consumeUpload(this, length);
        uploadAllowance -= length;
    }

    /** This connection's share of the upload budget until the next tick (at least one block). */
    void shareUploadBudget(int waiting) {
        long budget = swarm.uploadBudget(this);
        uploadAllowance = budget >= TokenBucket.UNLIMITED / 2 ? TokenBucket.UNLIMITED
                : Math.max(PieceLayout.BLOCK_SIZE, budget / Math.max(1, waiting));
    }

    private void sentBlock(int length) {
        uploadedBytes += length;
        lastPayloadNanos = loop.now();
        uploadRate.add(length);
        swarm.blockUploaded(this, length);
    }

    private boolean drainWriteBuffer() throws IOException {
        if (writeBuffer == null || writeBuffer.position() == 0) {
            return true;
        }
        writeBuffer.flip();
        wire().write(writeBuffer);
        boolean all = !writeBuffer.hasRemaining();
        writeBuffer.compact();
        lastSentNanos = loop.now();
        return all;
    }

    private boolean drainOverflow() throws IOException {
        while (!overflow.isEmpty()) {
            ByteBuffer b = overflow.peekFirst();
            wire().write(b);
            lastSentNanos = loop.now();
            if (b.hasRemaining()) {
                return false;
            }
            overflowBytes -= overflow.pollFirst().capacity();
        }
        return true;
    }

    @Override
    public String toString() {
        return (outgoing ? "out " : "in ") + remote + (peerId == null ? "" : " " + peerId);
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.picker.Block;
import dev.freshet.engine.picker.PiecePicker;
import dev.freshet.engine.ratelimit.TokenBucket;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.storage.PieceStorage;
import dev.freshet.engine.storage.StorageException;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MetadataMessage;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One torrent in the engine: its storage, picker, choker, connections and counters, and the
 * decisions that join them. Owned by the network thread.
 */
final class Swarm {
    private static final System.Logger LOG = System.getLogger(Swarm.class.getName());

    final NetworkLoop loop;
    final Metainfo metainfo;
    final Info info;
    final InfoHash infoHash;
    final PieceLayout layout;
    final PieceStorage storage;
    final SwarmOptions options;
    private final boolean zeroCopy;
    SwarmState state = SwarmState.CHECKING;
    private boolean pauseAfterCheck;
    String error;
    /** While {@link SwarmState#STALLED}: when to look for room again (loop nanos). */
    private long roomCheckAt;
    private PiecePicker picker;
    private final UploadSlots uploadSlots;
    final List<PeerConnection> connections = new ArrayList<>();
    private final KnownPeers knownPeers;
    /** What to ask which peer for: the downloading decisions, beside the picker. */
    private final RequestScheduler scheduler;
    /** Who sent which block, who failed which piece, who is banned: evidence for verification, a bar for admission. */
    private final PeerBans bans;
    /** The last {@link EngineEvent.RateSample} sent (null: none yet). */
    private EngineEvent.RateSample lastSample;
    final TokenBucket downloadBucket;
    final TokenBucket uploadBucket;
    private final RateMeter downloaded = new RateMeter();
    private final RateMeter uploaded = new RateMeter();
    private long verifiedBytes;
    private int secondsRunning;
    private final Announcer announcer;
    /** How whole pieces are checked and what a check costs the peers that sent them. */
    private final PieceVerification verification;
    /** Who may join (bans, BEP 27, slots), and the BEP 9/10 side: decisions of their own. */
    private final PeerAdmission admission;
    private final MetadataServer metadataServer;

    Swarm(NetworkLoop loop, Metainfo metainfo, PieceStorage storage, SwarmOptions options, long now) {
        this.loop = loop;
        this.metainfo = metainfo;
        this.info = metainfo.info();
        this.infoHash = info.infoHash();
        this.layout = storage.layout();
        this.storage = storage;
        this.options = options;
        this.uploadSlots = new UploadSlots(options.firstSeed() ? Math.max(FirstSeed.UNCHOKED, loop.config().uploadSlots())
                : loop.config().uploadSlots(), loop.config().random(),
                c -> c.isClusterMember() || c.inOffice());
        this.knownPeers = new KnownPeers(loop.config().timeouts());
        this.scheduler = new RequestScheduler(loop, layout, connections, () -> picker,
                () -> state == SwarmState.DOWNLOADING);
        this.downloadBucket = new TokenBucket(options.downloadLimit(), now);
        this.uploadBucket = new TokenBucket(options.uploadLimit(), now);
        this.zeroCopy = loop.config().zeroCopy() && probeZeroCopy(storage);
        this.bans = new PeerBans(layout.pieceCount());
        this.metadataServer = new MetadataServer(loop, info.raw());
        this.admission = new PeerAdmission(loop, infoHash, info.isPrivate(), bans, connections, this::isRunning);
        options.peers().forEach(knownPeers::add);
        options.peers().forEach(admission::admit);
        this.announcer = new Announcer(this);
        this.verification = new PieceVerification(info, layout, bans);
        this.firstSeed = options.firstSeed() ? new FirstSeed(loop, layout, connections) : null;
        this.webSeed = metainfo.urlList().isEmpty() ? null : new WebSeed(metainfo.urlList(), info, layout);
    }

    /** BEP 19: where the torrent says its data may also be fetched over HTTP, when the peers give too little. */
    private final WebSeed webSeed;
    private final WebSeed.Host webSeedHost = new WebSeed.Host() {
        @Override
        public WebSeed.Claim claim() {
            return claimForWebSeed();
        }

        @Override
        public void delivered(WebSeed.Claim claim, byte[] piece) {
            if (!isRunning() || picker == null) {
                return;
            }
            for (Block b : claim.blocks()) {
                ByteBuffer data = ByteBuffer.wrap(piece, b.offset(), layout.blockSize(b.piece(), b.index()));
                received(data.remaining(), 2, loop.ranksPeers()); // an origin: outside the office, across its WAN
                store(b, data, null, false);
            }
        }

        @Override
        public void failed(WebSeed.Claim claim, String why) {
            if (picker != null) {
                claim.blocks().forEach(picker::requestEnded);
            }
        }

        @Override
        public void execute(Runnable onNetworkThread) {
            loop.execute(onNetworkThread);
        }

        @Override
        public long peerRate() {
            long rate = 0;
            for (PeerConnection c : connections) {
                rate += c.downloadRate();
            }
            return rate;
        }
    };

    /**
     * A piece for the web seed: the missing one fewest connected peers have (none, preferably) that nobody is fetching;
     * its blocks claimed from the picker. Null when there is none.
     */
    private WebSeed.Claim claimForWebSeed() {
        if (picker == null || state != SwarmState.DOWNLOADING) {
            return null;
        }
        BitSet have = picker.haveSet();
        BitSet downloading = picker.downloadingSet();
        int best = -1;
        int fewest = Integer.MAX_VALUE;
        for (int p = have.nextClearBit(0); p < layout.pieceCount(); p = have.nextClearBit(p + 1)) {
            if (downloading.get(p)) {
                continue;
            }
            int a = picker.availability(p);
            if (a < fewest) {
                best = p;
                fewest = a;
                if (a == 0) {
                    break;
                }
            }
        }
        if (best >= 0) {
            return claim(best);
        }
        // every missing piece is under way from some peer: the free blocks of one of them, if any is left
        for (int p = downloading.nextSetBit(0); p >= 0; p = downloading.nextSetBit(p + 1)) {
            WebSeed.Claim c = claim(p);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private WebSeed.Claim claim(int piece) {
        BitSet only = new BitSet();
        only.set(piece);
        List<Block> blocks = picker.pick(only, layout.blocksInPiece(piece), b -> false);
        return blocks.isEmpty() ? null : new WebSeed.Claim(piece, blocks);
    }

    /** Set when this node is the swarm's first seed: each piece goes out of its office about once. */
    private final FirstSeed firstSeed;

    private static boolean probeZeroCopy(PieceStorage storage) {
        try {
            return storage.transferTo(0, 0, 0, java.nio.channels.Channels.newChannel(java.io.OutputStream.nullOutputStream())) >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** In which order pieces are started: the default for every swarm is here. */
    private dev.freshet.engine.picker.PieceOrder pieceOrder = dev.freshet.engine.picker.PieceOrder.RAREST_FIRST;

    void pieceOrder(dev.freshet.engine.picker.PieceOrder order) {
        pieceOrder = order;
        if (picker != null) {
            picker.setOrder(order);
        }
    }

    /** The resume check finished: {@code verified} pieces are on disk and valid. */
    void started(BitSet verified) {
        picker = new PiecePicker(layout, verified, loop.config().random());
        picker.setOrder(pieceOrder);
        for (int p = verified.nextSetBit(0); p >= 0; p = verified.nextSetBit(p + 1)) {
            verifiedBytes += layout.pieceSize(p);
        }
        state = pauseAfterCheck ? SwarmState.PAUSED
                : picker.isComplete() ? SwarmState.SEEDING : SwarmState.DOWNLOADING;
        emitStarted(verified);
        if (picker.isComplete()) {
            loop.emit(new EngineEvent.SwarmComplete(infoHash, layout.totalLength()));
        }
        if (isRunning()) {
            announcer.start();
            dialPeers(loop.now());
        }
    }

    boolean isRunning() {
        return state == SwarmState.DOWNLOADING || state == SwarmState.SEEDING;
    }

    /** Why an incoming connection is refused at its first bytes, or null when its handshake may go on. */
    String refusal(PeerConnection c) {
        return admission.refusal(c);
    }

    boolean makeRoom(PeerConnection c) {
        return admission.makeRoom(c);
    }

    boolean storageCanTransfer() {
        return zeroCopy;
    }

    /** What becomes of a request: served, refused, or held back until the peer's pieces in flight are done. */
    enum Serve { NOW, NEVER, HOLD }

    /**
     * Whether {@code c} is served {@code piece}: we have it, and, as one of the first seeds (the publisher, or a node
     * of its office, from its first piece on), it has not gone out of the office yet.
     */
    Serve serve(PeerConnection c, int piece) {
        if (!hasVerified(piece)) {
            return Serve.NEVER;
        }
        return firstSeed == null ? Serve.NOW : firstSeed.serve(c, piece);
    }

    // ---- peers -------------------------------------------------------------------------------

    void addPeers(List<InetSocketAddress> peers) {
        for (InetSocketAddress p : peers) {
            admission.admit(p);
            if (!loop.isSelf(p)) {
                knownPeers.add(p);
            }
        }
        if (isRunning()) {
            dialPeers(loop.now());
        }
    }

    private void dialPeers(long now) {
        if (!isRunning()) {
            return;
        }
        Set<InetSocketAddress> connected = new HashSet<>();
        for (PeerConnection c : connections) {
            connected.add(c.listenAddress());
            connected.add(c.remote());
        }
        int limit = loop.config().maxPeersPerSwarm();
        boolean seeding = state == SwarmState.SEEDING;
        knownPeers.dialDue(now, a -> !connected.contains(a) && !bans.isBanned(a) && !loop.isSelf(a)
                        && !(seeding && knownPeers.isSeed(a)),
                () -> connections.size() + knownPeers.dialing() < limit, a -> loop.connect(this, a));
    }

    void dialEnded(InetSocketAddress address) {
        knownPeers.dialEnded(address);
    }

    /** A connection finished its handshake. */
    void peerActive(PeerConnection c) {
        if (c.isOutgoing()) {
            knownPeers.handshakeSucceeded(c.remote());
        }
        if (bans.isBanned(c.peerId())) {
            loop.close(c, "banned peer");
            return;
        }
        PeerConnection twin = null;
        for (PeerConnection other : connections) {
            if (c.peerId().equals(other.peerId())) {
                twin = other;
                break;
            }
        }
        if (twin != null) {
            if (!keepsNewer(c, twin)) {
                loop.close(c, "already connected to this peer");
                return;
            }
            loop.close(twin, "already connected to this peer (both dialled; the other connection stays)");
        }
        connections.add(c);
        c.announced(loop.now());
        if (c.outsideOffice()) {
            loop.wan().fitReceiveBuffer(c);
        }
        if (c.inOffice()) {
            scheduler.officeChanged();
        }
        if (c.supportsExtensions()) {
            metadataServer.sendHandshake(c);
        }
        int have = picker.haveCount();
        if (c.supportsFast() && have == layout.pieceCount()) {
            c.send(new Message.HaveAll());
        } else if (c.supportsFast() && have == 0) {
            c.send(new Message.HaveNone());
        } else if (have > 0) {
            c.send(Message.Bitfield.of(picker.haveSet(), layout.pieceCount()));
        }
        loop.emit(new EngineEvent.PeerConnected(infoHash, c.remote(), c.peerId().toString(), c.isOutgoing()));
    }

    /**
     * Two connections to one peer: which one stays. When both sides dialled at once, each holds one connection of
     * each direction, and both must keep the same one, or each drops a different one and neither survives (and
     * again at every redial): the connection dialled by the lower peer id stays, on both sides. Otherwise (the
     * same direction twice) the older one stays.
     */
    private boolean keepsNewer(PeerConnection newer, PeerConnection older) {
        if (newer.isOutgoing() == older.isOutgoing()) {
            return false;
        }
        boolean dialledByLower = newer.isOutgoing() == (loop.peerId().compareTo(newer.peerId()) < 0);
        return dialledByLower;
    }

    /** BEP 9: a peer that has only the magnet link asks for the info dictionary. */
    void metadataMessage(PeerConnection c, MetadataMessage m) {
        metadataServer.message(c, m);
    }

    void peerExtensionHandshake(PeerConnection c) {
        InetSocketAddress listen = c.listenAddress();
        if (!c.isOutgoing() && !listen.equals(c.remote())) {
            knownPeers.addConnected(listen, loop.now());
        }
    }

    void peerBitfield(PeerConnection c) {
        picker.peerHasAll(c.peerPieces());
        c.announced(loop.now());
        c.heardHave(loop.now());
        if (closedBothSeeds(c)) {
            return;
        }
        updateInterest(c);
    }

    void peerHas(PeerConnection c, int piece) {
        picker.peerHas(piece);
        c.heardHave(loop.now());
        if (loop.ranksPeers()) {
            scheduler.office().peerHas(c, piece);
        }
        if (firstSeed != null) {
            firstSeed.peerHas(c, piece);
            c.releaseHeld(); // a piece of its in flight is done: it may take the next
        }
        if (closedBothSeeds(c)) {
            return;
        }
        if (!c.amInterested() && !picker.have(piece)) {
            updateInterest(c);
        } else if (c.amInterested()) {
            requestMore(c);
        }
    }

    /**
     * Two seeds have nothing to give each other: closes the connection if so, unless both are first seeds of one
     * office ({@link #keepsSeed}).
     */
    private boolean closedBothSeeds(PeerConnection c) {
        if (state == SwarmState.SEEDING && c.isSeed() && !keepsSeed(c)) {
            closeSeed(c);
            return true;
        }
        return false;
    }

    /**
     * A first seed keeps its connections to the seeds of its office: who of them sends a piece out of the office is
     * decided among the members each one sees ({@code FirstSeed}), and one that closed its office's seeds saw only
     * itself, so every member sent every piece out (hq's link carried a copy per member).
     */
    private boolean keepsSeed(PeerConnection c) {
        return firstSeed != null && c.inOffice();
    }

    /**
     * Closes the connection to a seed while this swarm seeds; {@link #peerClosed} remembers the peer as a seed, so that
     * neither this swarm dials it again while it seeds ({@link #dialPeers}) nor a redial's handshake restarts the cycle.
     */
    private void closeSeed(PeerConnection c) {
        loop.close(c, "both seeds");
    }

    /**
     * Tells listeners the swarm (re)starts with {@code verified}: they start over with it, so the next rate sample
     * goes out whatever the last one said.
     */
    private void emitStarted(BitSet verified) {
        lastSample = null;
        loop.emit(new EngineEvent.SwarmStarted(infoHash, picker.haveCount(), layout.pieceCount(), verified));
    }

    /** A connection closed (after it was active). */
    void peerClosed(PeerConnection c, String reason) {
        if (!connections.remove(c)) {
            return;
        }
        boolean freedRequests = !c.pending().isEmpty();
        if (state == SwarmState.SEEDING && c.isSeed()) {
            // whoever closed it (this side, the other, or a full table's eviction): two seeds do not dial each other
            // again while both seed, or a full table evicting one would see it dialled back a second later
            knownPeers.seed(c.remote());
            knownPeers.seed(c.listenAddress());
        }
        if (firstSeed != null) {
            firstSeed.peerClosed(c);
        }
        if (c.inOffice()) {
            scheduler.officeChanged(); // its share of the office's pieces falls to the others
        }
        if (picker != null) {
            picker.peerLost(c.peerPieces());
            c.pending().drain(picker::requestEnded);
        }
        boolean wasUnchoked = !c.amChoking();
        loop.emit(new EngineEvent.PeerDisconnected(infoHash, c.remote(), reason));
        if (wasUnchoked) {
            uploadSlots.fill(connections);
        }
        if (freedRequests) {
            // its blocks are free again: let the others ask for them
            for (PeerConnection other : new ArrayList<>(connections)) {
                requestMore(other);
            }
        } else if (loop.ranksPeers()) {
            scheduler.peerGone(c);
        }
    }

    // ---- downloading -------------------------------------------------------------------------

    private void updateInterest(PeerConnection c) {
        scheduler.updateInterest(c);
    }

    void peerChoked(PeerConnection c) {
        scheduler.peerChoked(c);
    }

    void peerUnchoked(PeerConnection c) {
        scheduler.requestMore(c);
    }

    void requestEnded(PeerConnection c, Block block) {
        picker.requestEnded(block);
        scheduler.requestMore(c);
    }

    void requestMore(PeerConnection c) {
        scheduler.requestMore(c);
    }

    /**
     * A block a peer was asked for; {@code late} when we had stopped waiting for it ({@link PeerConnection#gaveUp}):
     * then it is stored if still needed, and a request for it sent to another peer meanwhile is cancelled.
     */
    void blockArrived(PeerConnection c, Block block, ByteBuffer data, boolean late) {
        received(data.remaining(), peerClass(c), c.outsideOffice());
        c.wantRequestsAfterRead(); // asked for once the whole read is handled, not per block
        store(block, data, c, late);
    }

    /** Whether {@code block}, free again, is marked asked for once more (of a peer that has it queued already). */
    boolean reclaim(Block block) {
        return picker != null && picker.reclaim(block);
    }

    /**
     * A block's bytes, from a peer ({@code from}) or the web seed (null): written, and its piece checked once whole.
     */
    private void store(Block block, ByteBuffer data, PeerConnection from, boolean late) {
        int length = data.remaining();
        PiecePicker.Received r = late ? picker.lateBlockReceived(block) : picker.blockReceived(block);
        if (r == PiecePicker.Received.UNEXPECTED) {
            return; // someone else's copy got here first (endgame), or the piece was reset
        }
        verification.blockArrived(block, data);
        try {
            storage.write(block.piece(), block.offset(), data);
        } catch (StorageException e) {
            // the piece's other blocks may be written or not: it starts over, whatever happens next
            picker.pieceFailed(block.piece());
            verification.restart(block.piece());
            storageFailed("cannot write to storage", e);
            return;
        }
        // a web seed's blocks are its own: a failed piece it had a part in is not the peers' alone
        verification.blockStored(block, from != null ? from.peerId() : WebSeed.ID);
        if (late || picker.inEndgame()) {
            for (PeerConnection other : connections) {
                if (other != from && other.pending().remove(block)) {
                    other.send(new Message.Cancel(block.piece(), block.offset(), length));
                }
            }
        }
        if (r == PiecePicker.Received.PIECE_COMPLETE) {
            int piece = block.piece();
            if (verification.passedInOrder(piece)) {
                pieceHashed(piece, true, null);
            } else {
                loop.verify(this, piece, verification.needsBlockDigests(piece));
            }
        }
    }

    /** A block nobody asked for (any more): payload that crossed the network all the same, counted where it came from. */
    void unrequestedBlock(PeerConnection c, int length) {
        received(length, peerClass(c), c.outsideOffice());
    }

    /** Payload received, counted once for every figure: the total, its class of peer, and the WAN's when it crossed. */
    private void received(int length, int peerClass, boolean wan) {
        downloaded.add(length);
        if (wan) {
            wanDownloaded += length;
        }
        receivedByClass[peerClass] += length;
    }

    /** Result of a hash check, back on the network thread. {@code blockDigests} is set when the piece has failed before or failed now. */
    void pieceHashed(int piece, boolean ok, byte[][] blockDigests) {
        if (!isRunning() || picker.have(piece)) {
            return;
        }
        PieceVerification.Verdict verdict = verification.checked(piece, ok, blockDigests, loop::isPreferred);
        if (verdict.fromWebSeed() && !ok && webSeed != null) {
            webSeed.distrust(); // it served other bytes than the torrent says: the peers first, for a while
        }
        if (ok) {
            picker.pieceVerified(piece);
            lastVerifiedAt = loop.now();
            verifiedSinceStart = true;
            if (loop.ranksPeers()) {
                scheduler.office().verified(piece);
            }
            verifiedBytes += layout.pieceSize(piece);
            verdict.bans().forEach(b -> ban(b.peer(), b.reason()));
            for (PeerConnection c : connections) {
                c.send(new Message.Have(piece));
            }
            loop.emit(new EngineEvent.PieceVerified(infoHash, piece, picker.haveCount(), layout.pieceCount()));
            if (picker.isComplete()) {
                completed();
            } else {
                for (PeerConnection c : new ArrayList<>(connections)) {
                    if (c.amInterested() && !picker.isInteresting(c.peerPieces())) {
                        updateInterest(c);
                    }
                }
                // the limits after every piece too: at LAN speed a second is far past a small disk's watermark
                checkLimits();
            }
        } else {
            picker.pieceFailed(piece);
            List<dev.freshet.engine.wire.PeerId> members = verdict.members();
            loop.emit(new EngineEvent.PieceFailed(infoHash, piece, verdict.contributors(), members));
            // a member's copy may have rotted: it is asked to recheck (the control plane passes the event on), and
            // until it announces the piece again (a HAVE once it has it verified anew) it is not asked for it
            for (PeerConnection c : connections) {
                if (members.contains(c.peerId()) && c.forgetPiece(piece)) {
                    picker.peerLost(piece);
                }
            }
            verdict.bans().forEach(b -> ban(b.peer(), b.reason()));
            for (PeerConnection c : new ArrayList<>(connections)) {
                requestMore(c);
            }
        }
    }

    private void ban(dev.freshet.engine.wire.PeerId peerId, String reason) {
        if (peerId.equals(WebSeed.ID) && webSeed != null) {
            webSeed.ban();
            loop.emit(new EngineEvent.PeerBanned(infoHash, null, "web seed " + metainfo.urlList(), reason));
            return;
        }
        for (PeerConnection c : new ArrayList<>(connections)) {
            if (peerId.equals(c.peerId())) {
                bans.ban(c.peerId(), c.remote(), c.listenAddress());
                knownPeers.remove(c.listenAddress());
                loop.emit(new EngineEvent.PeerBanned(infoHash, c.remote(), c.peerId().toString(), reason));
                loop.close(c, "banned: " + reason);
                return;
            }
        }
        bans.ban(peerId, null, null);
    }

    private void completed() {
        state = SwarmState.SEEDING;
        try {
            storage.completed();
        } catch (StorageException e) {
            storageFailed("cannot finish storage", e);
            return;
        }
        loop.emit(new EngineEvent.SwarmComplete(infoHash, layout.totalLength()));
        announcer.completed();
        for (PeerConnection c : new ArrayList<>(connections)) {
            if (c.isSeed() && !keepsSeed(c)) {
                closeSeed(c);
            } else {
                c.declareInterest(false);
            }
        }
    }

    /** Bytes of this swarm's verified pieces (what it holds on disk, for the node's quota). */
    long verifiedBytes() {
        return verifiedBytes;
    }

    /** {@link #verifiedBytes} when the loop last summed the engine's (its once-a-second total for the quota). */
    private long heldMark;

    /** The loop sums what the swarms hold: this swarm's part, remembered. */
    long markHeld() {
        heldMark = verifiedBytes;
        return heldMark;
    }

    long roomToRun() {
        return 2L * layout.pieceLength() + (8L << 20);
    }

    /**
     * A write failed. With the disk (nearly) full, the swarm stalls and goes on by itself once there is room
     * (issue 10, case 5); any other failure is an error that needs a person.
     */
    private void storageFailed(String what, StorageException e) {
        long free = storage.usableSpace();
        if (free >= roomToRun()) {
            fail(what + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            return;
        }
        stall(diskFull(free));
    }

    private String diskFull(long free) {
        return "disk full: " + free / (1024 * 1024) + " MiB free, " + roomToRun() / (1024 * 1024)
                + " MiB needed; goes on by itself when there is room";
    }

    /** Stops the swarm until {@link #lackOfRoom} has nothing against it any more (checked every few seconds). */
    private void stall(String message) {
        LOG.log(System.Logger.Level.WARNING, "swarm " + infoHash + " stalled: " + message);
        if (isRunning()) {
            announcer.stopped();
        }
        stopConnections(message.startsWith("disk full") ? "disk full" : "fetching stopped by the disk limits");
        error = message;
        state = SwarmState.STALLED;
        roomCheckAt = loop.now() + timeouts().roomCheck().toNanos();
        loop.emit(new EngineEvent.SwarmStalled(infoHash, message));
    }

    /**
     * Why this swarm may not write now (its disk is full, over the high watermark, or the node's quota is reached:
     * {@link DiskLimits}), null when it may. {@code resuming}: stalled before, it goes on only below the low
     * watermark.
     */
    private String lackOfRoom(boolean resuming) {
        long free = storage.usableSpace();
        // going on takes room for two pieces; while running, only a write that fails says the disk is full (on a
        // small disk that reserve would otherwise stop a download before its watermark)
        if (resuming && free < roomToRun()) {
            return diskFull(free);
        }
        DiskLimits limits = loop.diskLimits();
        // the engine's total of the last second, and what this swarm verified since
        long held = loop.heldBytes() + Math.max(0, verifiedBytes - heldMark);
        return limits.any() ? limits.lacking(storage.usedSpace(), free, held, resuming) : null;
    }

    /**
     * While downloading: stalls when a disk limit is reached (checked every second and after every verified piece, only
     * when there are limits; the quota by the engine's total of the last second plus this swarm's pieces since).
     */
    private void checkLimits() {
        if (state == SwarmState.DOWNLOADING && loop.diskLimits().any()) {
            String why = lackOfRoom(false);
            if (why != null) {
                stall(why);
            }
        }
    }

    /** While stalled: goes on when the disk has room again; everything verified so far is reported anew. */
    private void checkRoom(long now) {
        if (now - roomCheckAt < 0) {
            return;
        }
        roomCheckAt = now + timeouts().roomCheck().toNanos();
        String why = lackOfRoom(true);
        if (why != null) {
            error = why; // the figures of now (how full, how much held)
            return;
        }
        LOG.log(System.Logger.Level.INFO, "swarm " + infoHash + " has room again; going on");
        error = null;
        state = picker.isComplete() ? SwarmState.SEEDING : SwarmState.DOWNLOADING;
        // what was verified while the catalog could not write is told again (the new resume data)
        emitStarted(picker.haveSet());
        knownPeers.resetBackoff();
        announcer.start();
        if (picker.isComplete()) {
            completed(); // it was finishing its files when the disk filled up
        }
        if (isRunning()) {
            dialPeers(now);
        }
    }

    void fail(String message) {
        LOG.log(System.Logger.Level.ERROR, "swarm " + infoHash + " stopped: " + message);
        error = message;
        stopConnections("swarm error");
        state = SwarmState.ERROR;
        loop.emit(new EngineEvent.SwarmError(infoHash, message));
    }

    // ---- scrub (issue 10, case 3: damage at rest) ----------------------------------------------

    private Timeouts timeouts() {
        return loop.config().timeouts();
    }

    /** Whether {@code piece} is one of this swarm's verified pieces (false for a piece it does not have). */
    boolean hasVerified(int piece) {
        return picker != null && piece >= 0 && piece < layout.pieceCount() && picker.have(piece);
    }

    /**
     * How long a swarm goes without a newly verified piece before the scrub reads its pieces back: 5 s. While pieces
     * keep arriving they were just hashed as they came; reading them back at once (from the page cache) says nothing
     * of the disk and cost every downloading engine a second SHA-1 pass over what it fetched (6 % of a leecher's CPU
     * in src/bench/capped-swarm).
     */
    static final long SCRUB_AFTER_REST_NANOS = 5_000_000_000L;
    /** Whether a scrub pass over this swarm has ended in this run, and when (the loop's clock): the next waits. */
    private boolean scrubbedOnce;
    private long lastPassEndedAt;
    /** The loop's clock when this run last verified a piece; {@link #verifiedSinceStart} says whether it has. */
    private long lastVerifiedAt;
    private boolean verifiedSinceStart;

    /**
     * The verified pieces the scrub hashes next, about {@code budget} bytes of them, from where the last batch
     * ended. None, and the pass done, while the swarm does not run, has nothing verified, is being written (it
     * verified a piece less than {@link #SCRUB_AFTER_REST_NANOS} ago), or rests after a pass
     * ({@link EngineConfig#scrubEvery}).
     */
    PieceVerification.ScrubBatch scrubBatch(long budget) {
        long now = loop.now();
        boolean writing = verifiedSinceStart && now - lastVerifiedAt < SCRUB_AFTER_REST_NANOS;
        boolean pausing = scrubbedOnce && now - lastPassEndedAt < loop.config().scrubEvery().toNanos();
        if (!isRunning() || writing || pausing) {
            return verification.scrubBatch(null, budget);
        }
        PieceVerification.ScrubBatch batch = verification.scrubBatch(picker, budget);
        if (batch.passDone() && picker.haveCount() > 0) { // a pass over nothing (none verified yet) does not count
            scrubbedOnce = true;
            lastPassEndedAt = now;
        }
        return batch;
    }

    /**
     * A verified piece no longer matches its hash (found by the scrub, or by a recheck another member asked for):
     * it is not served again, counts as missing, and is fetched anew. The new set of verified pieces is reported
     * (the catalog's resume data).
     */
    void pieceDamaged(int piece, String foundBy) {
        if (picker == null || !picker.have(piece)) {
            return;
        }
        picker.pieceLost(piece);
        verifiedBytes -= layout.pieceSize(piece);
        LOG.log(System.Logger.Level.WARNING, "swarm " + infoHash + ": piece " + piece
                + " no longer matches its hash on disk; fetching it again");
        for (PeerConnection c : connections) {
            c.dropQueuedUploads(piece);
        }
        loop.emit(new EngineEvent.PieceFailed(infoHash, piece, "damaged at rest (found by " + foundBy + ")", List.of()));
        emitStarted(picker.haveSet());
        if (state == SwarmState.SEEDING) {
            state = SwarmState.DOWNLOADING;
        }
        for (PeerConnection c : new ArrayList<>(connections)) {
            updateInterest(c);
            requestMore(c);
        }
    }

    // ---- uploading ---------------------------------------------------------------------------

    /** Most payload one connection may take: the torrent twice (pieces that failed at the peer again), and some slack. */
    long uploadAllowancePerPeer() {
        return 2 * layout.totalLength() + (4L << 20);
    }

    /** What {@code c} may be sent now: the swarm's and the node's limits, and the WAN share for a peer across it. */
    long uploadBudget(PeerConnection c) {
        uploadBucket.refill(loop.lastTick());
        long budget = Math.min(uploadBucket.available(), loop.globalUpload().available());
        return c.outsideOffice() ? loop.wan().uploadBudget(budget) : budget;
    }

    void consumeUpload(PeerConnection c, long bytes) {
        uploadBucket.consume(bytes);
        loop.globalUpload().consume(bytes);
        if (c.outsideOffice()) {
            loop.wan().uploaded(bytes);
        }
    }

    long downloadBudget(PeerConnection c) {
        downloadBucket.refill(loop.lastTick());
        long budget = Math.min(downloadBucket.available(), loop.globalDownload().available());
        return c.outsideOffice() ? loop.wan().downloadBudget(budget) : budget;
    }

    void consumeDownload(PeerConnection c, long bytes) {
        downloadBucket.consume(bytes);
        loop.globalDownload().consume(bytes);
        if (c.outsideOffice()) {
            loop.wan().downloaded(bytes);
        }
    }

    /** Payload bytes of this run from and to peers outside this node's office (issue 12: what crossed the WAN). */
    private long wanDownloaded;
    private long wanUploaded;
    /** Payload bytes of this run by class of peer (same office, other office, outside: {@link #peerClass}). */
    private final long[] receivedByClass = new long[3];
    private final long[] sentByClass = new long[3];

    /** 0 same office, 1 another office of the cluster, 2 anyone else (also every peer while peers are not ranked). */
    private int peerClass(PeerConnection c) {
        return loop.ranksPeers() ? Math.max(0, Math.min(2, c.rank())) : 2;
    }

    void blockUploaded(PeerConnection c, int length) {
        if (c.outsideOffice()) {
            wanUploaded += length;
        }
        sentByClass[peerClass(c)] += length;
        uploaded.add(length);
    }

    void peerInterestChanged(PeerConnection c) {
        uploadSlots.interestChanged(c, connections);
    }

    // ---- time --------------------------------------------------------------------------------

    /** Once a second. */
    void tick(long now) {
        // rates fall to zero while paused too, rather than showing the last second before the pause
        downloaded.sample(1.0);
        uploaded.sample(1.0);
        if (state == SwarmState.STALLED) {
            checkRoom(now);
        }
        checkLimits();
        if (!isRunning()) {
            return;
        }
        secondsRunning++;
        for (PeerConnection c : new ArrayList<>(connections)) {
            c.sampleRates();
            if (c.silentFor(now, timeouts().idle().toNanos())) {
                loop.close(c, "silent for " + timeouts().idle().toSeconds() + " s");
                continue;
            }
            scheduler.expire(c, now);
            scheduler.adaptPipeline(c);
            if (c.holdsRequests()) {
                c.releaseHeld(); // its pieces in flight may have been given up, or we stopped being the first seed
            }
            if (c.quietFor(now, timeouts().keepAliveAfter().toNanos())) {
                c.send(new Message.KeepAlive());
            }
            requestMore(c);
        }
        if (secondsRunning % timeouts().chokeRound().toSeconds() == 0) {
            uploadSlots.round(connections, state == SwarmState.SEEDING);
        }
        dialPeers(now);
        if (webSeed != null && state == SwarmState.DOWNLOADING) {
            webSeed.tick(now, webSeedHost);
        }
        announcer.tick(now);
        EngineEvent.RateSample sample = new EngineEvent.RateSample(infoHash, downloaded.rate(), uploaded.rate(),
                downloaded.total(), uploaded.total(), connections.size(), picker.haveCount());
        if (!sample.equals(lastSample)) { // an idle swarm says nothing: 10,000 of them sent 10,000 events a second
            lastSample = sample;
            loop.emit(sample);
        }
    }

    // ---- control -----------------------------------------------------------------------------

    void pause() {
        if (state == SwarmState.CHECKING) {
            pauseAfterCheck = true; // the check finishes, then the swarm stays paused
            return;
        }
        if (isRunning()) {
            stopConnections("paused");
            announcer.stopped();
            state = SwarmState.PAUSED;
        } else if (state == SwarmState.STALLED) {
            error = null; // paused by a person now; a resume finds out whether there is room
            state = SwarmState.PAUSED;
        }
    }

    void resume() {
        if (state == SwarmState.CHECKING) {
            pauseAfterCheck = false;
            return;
        }
        if (state == SwarmState.PAUSED) {
            state = picker.isComplete() ? SwarmState.SEEDING : SwarmState.DOWNLOADING;
            knownPeers.resetBackoff();
            announcer.start();
            dialPeers(loop.now());
        }
    }

    void stopConnections(String reason) {
        for (PeerConnection c : new ArrayList<>(connections)) {
            loop.close(c, reason);
        }
        loop.closeHandshaking(this, reason);
    }

    void remove() {
        if (isRunning()) {
            announcer.stopped();
        }
        stopConnections("swarm removed");
        state = SwarmState.PAUSED;
        storage.close();
    }

    long downloadedTotal() {
        return downloaded.total();
    }

    long uploadedTotal() {
        return uploaded.total();
    }

    long leftBytes() {
        return layout.totalLength() - verifiedBytes;
    }

    /** With {@code pieceDetail} false, {@code downloading} and {@code availability} are left empty. */
    SwarmStatus status(boolean pieceDetail) {
        List<SwarmStatus.PeerStatus> peers = new ArrayList<>();
        for (PeerConnection c : connections) {
            InetSocketAddress listen = c.listenAddress();
            peers.add(new SwarmStatus.PeerStatus(c.remote().getAddress().getHostAddress() + ":" + c.remote().getPort(),
                    listen.getAddress().getHostAddress() + ":" + listen.getPort(), c.peerId().toString(), c.client(),
                    c.isOutgoing(), c.isSeed(), c.peerPieceCount(), c.downloadRate(), c.uploadRate(), c.amChoking(),
                    c.peerChoking(), c.amInterested(), c.peerInterested(), c.tls() == null ? "" : c.tls().protocol()));
        }
        boolean detail = pieceDetail && picker != null;
        BitSet verified = picker == null ? new BitSet() : picker.haveSet();
        return new SwarmStatus(infoHash, info.name(), state, layout.totalLength(), layout.pieceCount(),
                verified.cardinality(), verifiedBytes, downloaded.total(), uploaded.total(), downloaded.rate(),
                uploaded.rate(), peers, verified, downloadBucket.rate(), uploadBucket.rate(), error,
                detail ? picker.downloadingSet() : new BitSet(),
                detail ? picker.availabilitySnapshot() : new byte[pieceDetail ? layout.pieceCount() : 0], wanDownloaded,
                wanUploaded, new SwarmStatus.PeerClassBytes(receivedByClass[0], receivedByClass[1], receivedByClass[2],
                sentByClass[0], sentByClass[1], sentByClass[2]), verification.failedCount(), bans.bannedCount());
    }
}

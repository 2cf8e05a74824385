package dev.freshet.engine.swarm;

import dev.freshet.engine.picker.Block;
import dev.freshet.engine.picker.PiecePicker;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.wire.Message;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The downloading decisions of one swarm, beside its {@link PiecePicker}: whether we are interested in a peer, how
 * many requests each peer gets (about a second of its rate, within its queue and ours, in batches that leave room
 * for a whole piece), which of its pieces it may be asked for ({@link PeerPreference}: nothing a better-ranked peer
 * that unchokes us has; from outside this node's office, only its {@link OfficeShare}), and what happens when a peer
 * chokes us or goes. The picker decides which blocks; this
 * class decides who is asked, and when. Owned by the network thread.
 */
final class RequestScheduler {
    private final NetworkLoop loop;
    private final PieceLayout layout;
    private final List<PeerConnection> connections;
    private final Supplier<PiecePicker> picker;
    private final BooleanSupplier downloading;
    private final OfficeShare office;

    RequestScheduler(NetworkLoop loop, PieceLayout layout, List<PeerConnection> connections,
                     Supplier<PiecePicker> picker, BooleanSupplier downloading) {
        this.loop = loop;
        this.layout = layout;
        this.connections = connections;
        this.picker = picker;
        this.downloading = downloading;
        this.office = new OfficeShare(loop, layout.pieceCount(), connections, picker);
    }

    /** A peer of this node's office (rank 0) came or went: the office's WAN shares change. */
    void officeChanged() {
        office.invalidate();
    }

    OfficeShare office() {
        return office;
    }

    /** Tells the peer whether we want something it has, and asks for it if so. */
    void updateInterest(PeerConnection c) {
        boolean interesting = downloading.getAsBoolean() && picker.get().isInteresting(c.peerPieces());
        c.declareInterest(interesting);
        if (interesting) {
            requestMore(c);
        }
    }

    void peerChoked(PeerConnection c) {
        if (!c.supportsFast()) {
            // BEP 3: a choke discards every pending request; BEP 6 peers reject them one by one instead
            c.pending().drain(picker.get()::requestEnded);
        }
        if (loop.ranksPeers()) {
            peerGone(c);
        }
    }

    /** A peer no longer serves us (choked us, or went): peers ranked after it may now be asked for what it had. */
    void peerGone(PeerConnection gone) {
        for (PeerConnection other : new ArrayList<>(connections)) {
            if (other != gone && other.rank() > gone.rank()) {
                requestMore(other);
            }
        }
    }

    void requestMore(PeerConnection c) {
        if (!downloading.getAsBoolean() || c.peerChoking() || !c.amInterested() || c.phase() != PeerConnection.Phase.ACTIVE
                || c.unresponsive(loop.now())) {
            return;
        }
        int cap = requestCap(c);
        int room = cap - c.pending().size();
        int want = Math.min(c.pipelineTarget() - c.pending().size(), room);
        // ask in batches (fewer, fuller writes), and with room for a whole piece so that pieces are not
        // split between peers (their blocks would then arrive out of order and need reading back)
        boolean busy = !c.pending().isEmpty();
        if (room <= 0 || (busy && (want < Math.min(16, c.pipelineTarget() / 4)
                || room < Math.min(layout.blocksInPiece(0), cap)))) {
            return;
        }
        PiecePicker p = picker.get();
        BitSet offer = loop.ranksPeers() ? withoutBetterSources(c) : c.peerPieces();
        if (c.outsideOffice()) {
            offer = office.restrict(offer); // outside the office: only this node's share of the office's pieces
        }
        BitSet refused = c.refusedPieces();
        if (refused != null) {
            offer = (BitSet) offer.clone();
            offer.andNot(refused);
        }
        List<Block> blocks = p.pick(offer, want, room, c.pending()::contains);
        long now = loop.now();
        for (Block b : blocks) {
            c.pending().add(b, now);
            c.send(new Message.Request(b.piece(), b.offset(), layout.blockSize(b.piece(), b.index())));
        }
        if (blocks.isEmpty() && c.pending().isEmpty() && !p.isInteresting(c.peerPieces())) {
            updateInterest(c);
        }
    }

    /** The peer's pieces that no connected peer of a better {@link PeerPreference rank} that unchokes us has. */
    private BitSet withoutBetterSources(PeerConnection c) {
        BitSet better = null;
        for (PeerConnection other : connections) {
            if (other.rank() < c.rank() && !other.peerChoking() && other.peerPieces() != null
                    && other.phase() == PeerConnection.Phase.ACTIVE && other.serving(loop.now())) {
                if (better == null) {
                    better = new BitSet(layout.pieceCount());
                }
                better.or(other.peerPieces());
            }
        }
        if (better == null) {
            return c.peerPieces();
        }
        BitSet offer = (BitSet) c.peerPieces().clone();
        offer.andNot(better);
        return offer;
    }

    /**
     * Requests unanswered for longer than the request timeout are given up (their blocks are free again); all of a
     * peer's at once when it has been {@link PeerConnection#unresponsive unresponsive}.
     */
    void expire(PeerConnection c, long now) {
        java.util.function.Consumer<Block> givenUp = b -> {
            picker.get().requestEnded(b);
            c.gaveUp(b); // should it come after all, it is kept
        };
        if (c.unresponsive(now)) {
            // it hangs with its socket open: its blocks go to others now, not after the request timeout
            c.pending().drain(givenUp);
            return;
        }
        c.pending().expire(now - loop.config().timeouts().request().toNanos(), givenUp);
    }

    /** Enough requests in flight for about a second of the peer's current rate, within its queue. */
    void adaptPipeline(PeerConnection c) {
        long perSecond = c.downloadRate() / PieceLayout.BLOCK_SIZE;
        c.pipelineTarget((int) Math.min(requestCap(c), Math.max(perSecond, 64)));
    }

    /** Most requests a peer may have from us at once: our limit, and its own (BEP 10 {@code reqq}). */
    private int requestCap(PeerConnection c) {
        int cap = loop.config().maxRequestsPerPeer();
        if (c.extensionHandshake() != null && c.extensionHandshake().requestQueue().isPresent()) {
            cap = Math.min(cap, c.extensionHandshake().requestQueue().get());
        }
        return cap;
    }
}

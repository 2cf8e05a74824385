package dev.freshet.engine.picker;

import dev.freshet.engine.storage.PieceLayout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses blocks to request, and tracks what is requested, received and verified.
 *
 * <p>Order, for a peer that has a given set of pieces:
 * <ol>
 *   <li>free blocks of pieces already started, the most advanced piece first;</li>
 *   <li>then pieces not started, in the {@link PieceOrder} (by default rarest first: fewest connected peers have
 *       it), ties broken by a random permutation fixed at construction; a piece started is requested whole from one
 *       peer (so {@code pick} may return up to one piece more than asked);</li>
 *   <li>when no block is free any more (endgame), blocks already requested from other peers, at most
 *       {@link #ENDGAME_DUPLICATES} requests per block.</li>
 * </ol>
 * Not thread-safe: owned by the network thread.
 */
public final class PiecePicker {
    /** In endgame, a block may be requested from this many peers at once. */
    public static final int ENDGAME_DUPLICATES = 2;

    private static final byte FREE = 0;
    private static final byte REQUESTED = 1;
    private static final byte RECEIVED = 2;

    private final PieceLayout layout;
    private final int pieceCount;
    private final int[] availability;
    /** Where each piece stands in the random permutation that breaks the piece order's ties (lower first). */
    private final int[] rank;
    private final BitSet have;
    private final BitSet wanted;
    /** wanted and not verified: what we still need. */
    private final BitSet needed;
    /** Started pieces by index (null when not started), and the same pieces as a list. */
    private final Partial[] partialOf;
    private final List<Partial> partials = new ArrayList<>();
    private int freeBlocksInPartials;
    /** Needed pieces not started yet: what a pick may start (a set, so that a pick looks only at these). */
    private final BitSet unstarted;
    /** Scratch for {@link #firstNotStarted}: the pieces it may start for one peer. */
    private final BitSet candidates;
    private PieceOrder pieceOrder = PieceOrder.RAREST_FIRST;

    private static final class Partial {
        final int piece;
        final byte[] state;
        final byte[] requests;
        int received;
        int requested; // blocks in state REQUESTED

        Partial(int piece, int blocks) {
            this.piece = piece;
            this.state = new byte[blocks];
            this.requests = new byte[blocks];
        }

        int free() {
            return state.length - received - requested;
        }
    }

    public PiecePicker(PieceLayout layout, BitSet have, RandomGenerator random) {
        this.layout = layout;
        this.pieceCount = layout.pieceCount();
        this.availability = new int[pieceCount];
        this.have = (BitSet) have.clone();
        this.wanted = new BitSet(pieceCount);
        wanted.set(0, pieceCount);
        this.needed = new BitSet(pieceCount);
        this.partialOf = new Partial[pieceCount];
        this.unstarted = new BitSet(pieceCount);
        this.candidates = new BitSet(pieceCount);
        recomputeNeeded();
        int[] order = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            order[i] = i;
        }
        for (int i = pieceCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        this.rank = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            rank[order[i]] = i;
        }
    }

    // ---- availability -------------------------------------------------------------------------

    public void peerHas(int piece) {
        availability[piece]++;
    }

    public void peerHasAll(BitSet pieces) {
        for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
            availability[p]++;
        }
    }

    /** A peer that had {@code pieces} is gone. */
    public void peerLost(BitSet pieces) {
        for (int p = pieces.nextSetBit(0); p >= 0; p = pieces.nextSetBit(p + 1)) {
            availability[p]--;
        }
    }

    /** A peer no longer counts as having {@code piece} (its copy is suspect until it announces it again). */
    public void peerLost(int piece) {
        availability[piece]--;
    }

    public int availability(int piece) {
        return availability[piece];
    }

    // ---- state queries ------------------------------------------------------------------------

    public boolean have(int piece) {
        return have.get(piece);
    }

    /** The first verified piece at or after {@code from}, or -1 (no copy of the set, unlike {@link #haveSet}). */
    public int nextHave(int from) {
        return have.nextSetBit(from);
    }

    public BitSet haveSet() {
        return (BitSet) have.clone();
    }

    /** Pieces with blocks requested or received but not yet complete. */
    public BitSet downloadingSet() {
        BitSet b = new BitSet(pieceCount);
        for (Partial p : partials) {
            b.set(p.piece);
        }
        return b;
    }

    /** How many connected peers have each piece, capped at 255. */
    public byte[] availabilitySnapshot() {
        byte[] out = new byte[availability.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.min(255, availability[i]);
        }
        return out;
    }

    public int haveCount() {
        return have.cardinality();
    }

    public boolean isComplete() {
        return needed.isEmpty();
    }

    /** Whether the peer with {@code peerPieces} has any wanted piece we lack. Allocates nothing. */
    public boolean isInteresting(BitSet peerPieces) {
        return peerPieces.intersects(needed);
    }

    /** Whether every wanted block we lack is already requested or received (endgame). */
    public boolean inEndgame() {
        return freeBlocksInPartials == 0 && unstarted.isEmpty();
    }

    private void recomputeNeeded() {
        needed.clear();
        needed.or(wanted);
        needed.andNot(have);
        unstarted.clear();
        unstarted.or(needed);
        for (Partial p : partials) {
            unstarted.clear(p.piece);
        }
    }

    // ---- picking ------------------------------------------------------------------------------

    /** The order in which pieces not started yet are started (pieces already started are not affected). */
    public void setOrder(PieceOrder order) {
        this.pieceOrder = java.util.Objects.requireNonNull(order);
    }

    /**
     * Up to {@code max} blocks to request from a peer that has {@code peerPieces}; the blocks are
     * marked requested. {@code requestedFromPeer} says which blocks that peer has outstanding already
     * (used in endgame, to not ask one peer twice for a block).
     */
    public List<Block> pick(BitSet peerPieces, int max, Predicate<Block> requestedFromPeer) {
        return pick(peerPieces, max, Integer.MAX_VALUE, requestedFromPeer);
    }

    /**
     * As {@link #pick(BitSet, int, Predicate)}, but never more than {@code limit} blocks (the room left in
     * the peer's request queue). A new piece is started only if it fits whole in that room, unless it is
     * the first thing picked (a queue smaller than a piece then gets the piece in order, part by part).
     */
    public List<Block> pick(BitSet peerPieces, int max, int limit, Predicate<Block> requestedFromPeer) {
        max = Math.min(max, limit);
        List<Block> out = new ArrayList<>(Math.min(max, 256));
        if (max <= 0) {
            return out;
        }
        // 1. pieces already started, most advanced first
        while (freeBlocksInPartials > 0 && out.size() < max) {
            Partial best = null;
            for (Partial p : partials) {
                if (p.free() > 0 && peerPieces.get(p.piece)
                        && (best == null || p.received + p.requested > best.received + best.requested)) {
                    best = p;
                }
            }
            if (best == null) {
                break;
            }
            takeFree(best, max, out);
        }
        if (out.size() >= max) {
            return out;
        }
        // 2. new pieces, rarest first
        while (out.size() < max && !unstarted.isEmpty()) {
            int piece = firstNotStarted(peerPieces);
            if (piece < 0 || (layout.blocksInPiece(piece) > limit - out.size() && !out.isEmpty())) {
                break; // none left, or it would not fit whole: leave it for a later pick
            }
            // a new piece goes wholly to one peer (as far as its queue allows): its blocks then arrive in
            // order and from one source
            takeFree(start(piece), limit, out);
        }
        // 3. endgame
        if (out.size() < max && inEndgame()) {
            java.util.Set<Block> justPicked = new java.util.HashSet<>(out);
            for (Partial p : partials) {
                if (!peerPieces.get(p.piece)) {
                    continue;
                }
                for (int b = 0; b < p.state.length && out.size() < max; b++) {
                    if (p.state[b] == REQUESTED && p.requests[b] < ENDGAME_DUPLICATES) {
                        Block block = new Block(p.piece, b);
                        if (!requestedFromPeer.test(block) && !justPicked.contains(block)) {
                            p.requests[b]++;
                            out.add(block);
                        }
                    }
                }
            }
        }
        return out;
    }

    private void takeFree(Partial p, int max, List<Block> out) {
        for (int b = 0; b < p.state.length && out.size() < max; b++) {
            if (p.state[b] == FREE) {
                request(p, b);
                out.add(new Block(p.piece, b));
            }
        }
    }

    /** Starts {@code piece} (needed, not started): all its blocks free. */
    private Partial start(int piece) {
        Partial p = new Partial(piece, layout.blocksInPiece(piece));
        partialOf[piece] = p;
        partials.add(p);
        unstarted.clear(piece);
        freeBlocksInPartials += p.state.length;
        return p;
    }

    /** A free block of {@code p} is asked for. */
    private void request(Partial p, int b) {
        p.state[b] = REQUESTED;
        p.requests[b] = 1;
        p.requested++;
        freeBlocksInPartials--;
    }

    /** A free or requested block of {@code p} arrived: the answer to the caller. */
    private Received receive(Partial p, int b) {
        if (p.state[b] == FREE) {
            freeBlocksInPartials--;
        } else {
            p.requested--;
        }
        p.state[b] = RECEIVED;
        p.requests[b] = 0;
        p.received++;
        return p.received == p.state.length ? Received.PIECE_COMPLETE : Received.STORED;
    }

    /**
     * The piece to start from a peer with {@code peerPieces}: first in the piece order, ties to the lower rank. Looks
     * only at the pieces it may start (a few word operations when there are none, the common case late in a download
     * and with peers that have little), not at every piece.
     */
    private int firstNotStarted(BitSet peerPieces) {
        candidates.clear();
        candidates.or(unstarted);
        candidates.and(peerPieces);
        int best = candidates.nextSetBit(0);
        for (int p = candidates.nextSetBit(best + 1); p >= 0; p = candidates.nextSetBit(p + 1)) {
            int c = pieceOrder.compare(p, best, availability);
            if (c < 0 || (c == 0 && rank[p] < rank[best])) {
                best = p;
            }
        }
        return best;
    }

    // ---- outcomes -----------------------------------------------------------------------------

    /** A request for {@code block} ended without data (rejected, timed out, peer gone or choked us). */
    public void requestEnded(Block block) {
        Partial p = partialOf[block.piece()];
        if (p == null || block.index() >= p.state.length || p.state[block.index()] != REQUESTED) {
            return;
        }
        if (--p.requests[block.index()] <= 0) {
            p.requests[block.index()] = 0;
            p.state[block.index()] = FREE;
            p.requested--;
            freeBlocksInPartials++;
        }
    }

    /** Outcome of a received block. */
    public enum Received {
        /** Not requested by anyone, or already received: drop it, do not write it. */
        UNEXPECTED,
        /** Stored; the piece still misses blocks. */
        STORED,
        /** Stored, and it was the piece's last block: the piece must now be verified. */
        PIECE_COMPLETE
    }

    /** Records that {@code block} arrived; the caller writes it only unless the answer is UNEXPECTED. */
    public Received blockReceived(Block block) {
        Partial p = block.piece() < pieceCount ? partialOf[block.piece()] : null;
        if (p == null || block.index() >= p.state.length || p.state[block.index()] != REQUESTED) {
            return Received.UNEXPECTED;
        }
        return receive(p, block.index());
    }

    /**
     * A block that was requested, and whose request ended without it ({@link #requestEnded}: timed out, or its peer
     * seemed to hang), arrived after all: kept if still needed, whatever its state now (free again, or asked of
     * another peer: then the caller cancels that request). {@code UNEXPECTED} when it is not needed any more
     * (received already, piece verified, or not wanted).
     */
    public Received lateBlockReceived(Block block) {
        Partial p = startedFor(block);
        if (p == null || p.state[block.index()] == RECEIVED) {
            return Received.UNEXPECTED;
        }
        return receive(p, block.index());
    }

    /**
     * Marks {@code block} requested again if it is free (its request had ended without it, and nobody was asked for it
     * since): the peer it was asked of turned out slow, not gone, and still has it queued. False when it is not free.
     */
    public boolean reclaim(Block block) {
        Partial p = startedFor(block);
        if (p == null || p.state[block.index()] != FREE) {
            return false;
        }
        request(p, block.index());
        return true;
    }

    /** The started piece {@code block} belongs to, started now if it is needed and was not; null if not needed. */
    private Partial startedFor(Block block) {
        int piece = block.piece();
        if (piece >= pieceCount || (partialOf[piece] == null && !unstarted.get(piece))
                || block.index() >= layout.blocksInPiece(piece)) {
            return null;
        }
        Partial p = partialOf[piece];
        return p != null ? p : start(piece); // freed and not started again: it starts with this block
    }

    public void pieceVerified(int piece) {
        removePartial(piece);
        unstarted.clear(piece);
        have.set(piece);
        needed.clear(piece);
    }

    /** A verified piece turned out damaged (its data changed at rest): it is needed again, if wanted. */
    public void pieceLost(int piece) {
        if (!have.get(piece)) {
            return;
        }
        have.clear(piece);
        if (wanted.get(piece)) {
            needed.set(piece);
            unstarted.set(piece);
        }
    }

    /** The piece's hash did not match: every block of it is free again. */
    public void pieceFailed(int piece) {
        if (removePartial(piece) != null && needed.get(piece)) {
            unstarted.set(piece);
        }
    }

    private Partial removePartial(int piece) {
        Partial p = partialOf[piece];
        if (p != null) {
            partialOf[piece] = null;
            partials.remove(p);
            freeBlocksInPartials -= p.free();
        }
        return p;
    }

    /** Restricts what is downloaded (file selection); pieces outside are never picked. */
    public void setWanted(BitSet pieces) {
        wanted.clear();
        wanted.or(pieces);
        recomputeNeeded();
    }

    /** Verifies internal counters; for tests. Throws {@link IllegalStateException} when broken. */
    public void checkInvariants() {
        int free = 0;
        for (Partial p : partials) {
            if (partialOf[p.piece] != p) {
                throw new IllegalStateException("partial " + p.piece + " is not indexed");
            }
            if (have.get(p.piece)) {
                throw new IllegalStateException("piece " + p.piece + " is both verified and partial");
            }
            int requested = 0;
            int received = 0;
            for (int b = 0; b < p.state.length; b++) {
                switch (p.state[b]) {
                    case REQUESTED -> {
                        requested++;
                        if (p.requests[b] < 1 || p.requests[b] > ENDGAME_DUPLICATES) {
                            throw new IllegalStateException("block " + p.piece + "/" + b + " has " + p.requests[b] + " requests");
                        }
                    }
                    case RECEIVED -> received++;
                    default -> {
                        if (p.requests[b] != 0) {
                            throw new IllegalStateException("free block " + p.piece + "/" + b + " has requests");
                        }
                    }
                }
            }
            if (requested != p.requested || received != p.received) {
                throw new IllegalStateException("counters of piece " + p.piece + " are wrong");
            }
            free += p.free();
        }
        if (free != freeBlocksInPartials) {
            throw new IllegalStateException("free block count " + freeBlocksInPartials + " but " + free + " free");
        }
        BitSet expectedNeeded = (BitSet) wanted.clone();
        expectedNeeded.andNot(have);
        if (!expectedNeeded.equals(needed)) {
            throw new IllegalStateException("needed set is stale");
        }
        BitSet expectedUnstarted = (BitSet) needed.clone();
        for (Partial p : partials) {
            expectedUnstarted.clear(p.piece);
        }
        if (!expectedUnstarted.equals(unstarted)) {
            throw new IllegalStateException("unstarted set is stale: " + unstarted + " but " + expectedUnstarted);
        }
        for (int i = 0; i < pieceCount; i++) {
            if (availability[i] < 0) {
                throw new IllegalStateException("negative availability of piece " + i);
            }
        }
    }
}

package dev.freshet.engine.picker;

import dev.freshet.engine.storage.PieceLayout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses blocks to request, and tracks what is requested, received and verified.
 *
 * <p>Order, for a peer that has a given set of pieces:
 * <ol>
 *   <li>free blocks of pieces already started, the most advanced piece first;</li>
 *   <li>then pieces not started, rarest first (fewest connected peers have it), ties broken by a
 *       random permutation fixed at construction;</li>
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
    private final int[] order;
    private final BitSet have;
    private final BitSet wanted;
    private final Map<Integer, Partial> partials = new HashMap<>();
    private int freeBlocksInPartials;

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
        this.order = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            order[i] = i;
        }
        for (int i = pieceCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
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

    public int availability(int piece) {
        return availability[piece];
    }

    // ---- state queries ------------------------------------------------------------------------

    public boolean have(int piece) {
        return have.get(piece);
    }

    public BitSet haveSet() {
        return (BitSet) have.clone();
    }

    public int haveCount() {
        return have.cardinality();
    }

    public boolean isComplete() {
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(have);
        return missing.isEmpty();
    }

    /** Whether the peer with {@code peerPieces} has any wanted piece we lack. */
    public boolean isInteresting(BitSet peerPieces) {
        BitSet b = (BitSet) peerPieces.clone();
        b.and(wanted);
        b.andNot(have);
        return !b.isEmpty();
    }

    /** Whether every wanted block we lack is already requested or received (endgame). */
    public boolean inEndgame() {
        if (freeBlocksInPartials > 0) {
            return false;
        }
        BitSet notStarted = (BitSet) wanted.clone();
        notStarted.andNot(have);
        for (int p : partials.keySet()) {
            notStarted.clear(p);
        }
        return notStarted.isEmpty();
    }

    // ---- picking ------------------------------------------------------------------------------

    /**
     * Up to {@code max} blocks to request from a peer that has {@code peerPieces}; the blocks are
     * marked requested. {@code requestedFromPeer} says which blocks that peer has outstanding already
     * (used in endgame, to not ask one peer twice for a block).
     */
    public List<Block> pick(BitSet peerPieces, int max, Predicate<Block> requestedFromPeer) {
        List<Block> out = new ArrayList<>(Math.min(max, 256));
        if (max <= 0) {
            return out;
        }
        // 1. pieces already started, most advanced first
        if (freeBlocksInPartials > 0) {
            List<Partial> started = new ArrayList<>();
            for (Partial p : partials.values()) {
                if (p.free() > 0 && peerPieces.get(p.piece)) {
                    started.add(p);
                }
            }
            started.sort(Comparator.comparingInt((Partial p) -> -(p.received + p.requested)).thenComparingInt(p -> p.piece));
            for (Partial p : started) {
                takeFree(p, max, out);
                if (out.size() >= max) {
                    return out;
                }
            }
        }
        // 2. new pieces, rarest first
        while (out.size() < max) {
            int piece = rarestNotStarted(peerPieces);
            if (piece < 0) {
                break;
            }
            Partial p = new Partial(piece, layout.blocksInPiece(piece));
            partials.put(piece, p);
            freeBlocksInPartials += p.state.length;
            takeFree(p, max, out);
        }
        // 3. endgame
        if (out.size() < max && inEndgame()) {
            java.util.Set<Block> justPicked = new java.util.HashSet<>(out);
            List<Partial> started = new ArrayList<>(partials.values());
            started.sort(Comparator.comparingInt((Partial p) -> p.piece));
            for (Partial p : started) {
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
                p.state[b] = REQUESTED;
                p.requests[b] = 1;
                p.requested++;
                freeBlocksInPartials--;
                out.add(new Block(p.piece, b));
            }
        }
    }

    private int rarestNotStarted(BitSet peerPieces) {
        int best = -1;
        int bestAvailability = Integer.MAX_VALUE;
        for (int i = 0; i < pieceCount; i++) {
            int p = order[i];
            if (availability[p] < bestAvailability && peerPieces.get(p) && wanted.get(p) && !have.get(p)
                    && !partials.containsKey(p)) {
                best = p;
                bestAvailability = availability[p];
                if (bestAvailability <= 1) {
                    break; // nothing rarer than a piece only this peer has
                }
            }
        }
        return best;
    }

    // ---- outcomes -----------------------------------------------------------------------------

    /** A request for {@code block} ended without data (rejected, timed out, peer gone or choked us). */
    public void requestEnded(Block block) {
        Partial p = partials.get(block.piece());
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
        Partial p = partials.get(block.piece());
        if (p == null || block.index() >= p.state.length || p.state[block.index()] != REQUESTED) {
            return Received.UNEXPECTED;
        }
        p.state[block.index()] = RECEIVED;
        p.requests[block.index()] = 0;
        p.requested--;
        p.received++;
        return p.received == p.state.length ? Received.PIECE_COMPLETE : Received.STORED;
    }

    public void pieceVerified(int piece) {
        Partial p = partials.remove(piece);
        if (p != null) {
            freeBlocksInPartials -= p.free();
        }
        have.set(piece);
    }

    /** The piece's hash did not match: every block of it is free again. */
    public void pieceFailed(int piece) {
        Partial p = partials.remove(piece);
        if (p != null) {
            freeBlocksInPartials -= p.free();
        }
    }

    /** Restricts what is downloaded (file selection); pieces outside are never picked. */
    public void setWanted(BitSet pieces) {
        wanted.clear();
        wanted.or(pieces);
    }

    /** Pieces started but not all received. */
    public int partialCount() {
        return partials.size();
    }

    /** Verifies internal counters; for tests. Throws {@link IllegalStateException} when broken. */
    public void checkInvariants() {
        int free = 0;
        for (Partial p : partials.values()) {
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
        for (int i = 0; i < pieceCount; i++) {
            if (availability[i] < 0) {
                throw new IllegalStateException("negative availability of piece " + i);
            }
        }
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.picker.Block;
import dev.freshet.engine.picker.PiecePicker;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.wire.PeerId;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Piece verification, one of the swarm's decisions (beside request scheduling, peer admission and metadata
 * serving): how a whole piece is checked (its hash taken from its blocks as they came, or read back and hashed on
 * the pool), the evidence of who sent which block, what a check's result costs the peers that had a part in it, and
 * which verified pieces the scrub reads next. It decides; the swarm acts on the verdict (HAVE, events, closing
 * connections, the picker). Owned by the network thread.
 */
final class PieceVerification {
    /** A peer to ban, and why (for the event and the log). */
    record Ban(PeerId peer, String reason) {
    }

    /**
     * What a check of a piece means. {@code fromWebSeed}: the web seed sent some of its bytes. For a failed piece,
     * {@code contributors} says who sent it and {@code members} which of them are cluster members (their copies may
     * have rotted: they are asked to recheck, not banned).
     */
    record Verdict(boolean passed, boolean fromWebSeed, List<Ban> bans, String contributors, List<PeerId> members) {
    }

    /** The pieces the scrub hashes next, and whether they end this swarm's pass (the next batch starts over). */
    record ScrubBatch(int[] pieces, boolean passDone) {
    }

    private final Info info;
    private final PieceLayout layout;
    private final PeerBans bans;
    private final InOrderHashes inOrderHashes;
    /** Pieces whose bytes came from the web seed, until their check. */
    private final BitSet fromWebSeed = new BitSet();
    /** Pieces of this run that failed their check. */
    private long failed;
    /** The next verified piece the scrub reads. */
    private int scrubCursor;

    PieceVerification(Info info, PieceLayout layout, PeerBans bans) {
        this.info = info;
        this.layout = layout;
        this.bans = bans;
        this.inOrderHashes = new InOrderHashes(layout.pieceCount());
    }

    /** A block's bytes, before they are written ({@code data}'s remaining, not consumed). */
    void blockArrived(Block block, ByteBuffer data) {
        inOrderHashes.block(block.piece(), block.index(), data);
    }

    /** A block written, sent by {@code source} (a peer, or {@link WebSeed#ID}). */
    void blockStored(Block block, PeerId source) {
        if (source.equals(WebSeed.ID)) {
            fromWebSeed.set(block.piece());
        }
        bans.recordSource(block, source, layout.blocksInPiece(block.piece()));
    }

    /** A write failed: the piece starts over, so does its hash. */
    void restart(int piece) {
        inOrderHashes.drop(piece);
    }

    /**
     * A piece has all its blocks. True when it passed already: its blocks came in order, their hash matches, and the
     * piece never failed before (else the bans need every block's digest). False: it must be read back and hashed on
     * the pool ({@link #needsBlockDigests} says with which detail), and {@link #checked} be told the result.
     */
    boolean passedInOrder(int piece) {
        byte[] sha1 = inOrderHashes.finish(piece, layout.blocksInPiece(piece));
        return sha1 != null && !bans.hasFailureHistory(piece) && info.pieceHashMatches(piece, sha1);
    }

    /** Whether the pool's check must give every block's digest even when the piece matches (it failed before). */
    boolean needsBlockDigests(int piece) {
        return bans.hasFailureHistory(piece);
    }

    /**
     * A piece's check, and what it costs whom. {@code blockDigests} is set when the piece has failed before or failed
     * now; {@code member} tells cluster members (never banned for a piece: their copies may have rotted).
     */
    Verdict checked(int piece, boolean passed, byte[][] blockDigests, Predicate<PeerId> member) {
        boolean webSeed = fromWebSeed.get(piece);
        fromWebSeed.clear(piece);
        List<Ban> toBan = new ArrayList<>();
        if (passed) {
            for (PeerId p : bans.pieceVerified(piece, blockDigests, member)) {
                toBan.add(new Ban(p, "sent data that failed the hash check of piece " + piece));
            }
            return new Verdict(true, webSeed, toBan, "", List.of());
        }
        failed++;
        inOrderHashes.drop(piece);
        PeerBans.Failure failure = bans.pieceFailed(piece, blockDigests, member);
        for (PeerId p : failure.toBan()) {
            toBan.add(new Ban(p, "was the only source of piece " + piece + ", which failed its hash check twice"));
        }
        List<PeerId> members = failure.contributors().stream().filter(member).toList();
        return new Verdict(false, webSeed, toBan, failure.contributorsText(), members);
    }

    /** Pieces of this run that failed their check. */
    long failedCount() {
        return failed;
    }

    /**
     * The verified pieces the scrub hashes next, about {@code budget} bytes of them, from where the last batch ended.
     * None, and the pass done, when nothing is verified.
     */
    ScrubBatch scrubBatch(PiecePicker picker, long budget) {
        if (picker == null || picker.haveCount() == 0) {
            return new ScrubBatch(new int[0], true);
        }
        List<Integer> out = new ArrayList<>();
        long bytes = 0;
        boolean done = false;
        while (bytes < budget) {
            int next = picker.nextHave(scrubCursor);
            if (next < 0) {
                scrubCursor = 0;
                done = true;
                break;
            }
            out.add(next);
            bytes += layout.pieceSize(next);
            scrubCursor = next + 1;
        }
        return new ScrubBatch(out.stream().mapToInt(Integer::intValue).toArray(), done);
    }
}

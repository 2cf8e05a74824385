package dev.freshet.engine.swarm;

import dev.freshet.engine.picker.PiecePicker;
import dev.freshet.engine.wire.PeerId;

import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * One WAN fetch per piece per office (issue 12): of the pieces a swarm still needs, which ones this node fetches
 * from peers outside its office, so that each piece crosses the office's slow link once and the office's other
 * nodes take it over the LAN. The office is this node and its connected peers of {@link PeerPreference rank} 0 that
 * are still downloading; each piece goes to the member whose rendezvous weight (a hash of its peer id and the piece
 * index, the same on every node) is highest. Every member computes the same owner from what it sees, so no
 * coordination is needed, and when a member goes or completes only its own pieces change hands.
 *
 * <p>A member must also be getting its share: one whose last piece of its own came {@link #STUCK_NANOS} before the
 * office's latest (it died without closing, or no peer outside the office will serve it those pieces) is left out
 * until it announces one, and its pieces fall to the others at the next computation, within a second. A member that
 * is merely busy announces its pieces as they come and keeps them; when the whole office waits (pieces not out yet)
 * nobody is left out. A member that has sent nothing at all for {@link #SILENT_NANOS} hangs, and is left out too
 * (it may hold the last pieces: then nobody in the office moves, and "behind the office" never shows). Alone in its office, a node fetches
 * everything. Owned by the network thread.
 */
final class OfficeShare {
    /** A member whose last own piece is this much older than the office's latest no longer holds pieces for it. */
    static final long STUCK_NANOS = 3_000_000_000L;
    /** A member that has sent nothing at all (not even a HAVE of another's piece) for this long hangs. */
    static final long SILENT_NANOS = 10_000_000_000L;
    private static final long RECOMPUTE_NANOS = 1_000_000_000L;

    private final NetworkLoop loop;
    private final int pieceCount;
    private final List<PeerConnection> connections;
    private final Supplier<PiecePicker> picker;
    private final long self;
    /** This node's share, or null when it has the whole office's (alone in it). */
    private BitSet mine;
    private long computedAt;
    private boolean stale = true;
    /** When this node last verified a piece of its own share. */
    private long ownProgress = Long.MIN_VALUE;
    /** Pieces of their own share the office's members (this node too) were seen to get, since the start. */
    private long ownPiecesSeen;
    private long rateCountAt;
    private long rateCount;
    /** The office's members get pieces of their own shares at this rate together (per second, smoothed). */
    private double officeRate;

    OfficeShare(NetworkLoop loop, int pieceCount, List<PeerConnection> connections, Supplier<PiecePicker> picker) {
        this.loop = loop;
        this.pieceCount = pieceCount;
        this.connections = connections;
        this.picker = picker;
        this.self = key(loop.peerId());
    }

    /** The office changed (a member came or went): compute the shares again before the next request. */
    void invalidate() {
        stale = true;
    }

    private static boolean downloadingMember(PeerConnection c) {
        return c.inOffice() && c.phase() == PeerConnection.Phase.ACTIVE && c.peerId() != null && !c.isSeed();
    }

    /**
     * Office peer {@code c} announced {@code piece}: if the piece is its own (over every downloading member, stuck or
     * not), it is getting its share.
     */
    void peerHas(PeerConnection c, int piece) {
        if (!downloadingMember(c)) {
            return;
        }
        long theirs = key(c.peerId());
        if (beats(self, theirs, piece)) {
            return;
        }
        for (PeerConnection o : connections) {
            if (o != c && downloadingMember(o) && beats(key(o.peerId()), theirs, piece)) {
                return;
            }
        }
        c.announced(loop.now());
        ownPiecesSeen++;
    }

    /** This node verified {@code piece}: progress on its share if the piece was its own. */
    void verified(int piece) {
        if (mine != null && mine.get(piece)) {
            ownProgress = loop.now();
            ownPiecesSeen++;
        }
    }

    /** Of {@code offer} (a peer outside the office has these), the pieces this node may ask that peer for. */
    BitSet restrict(BitSet offer) {
        long now = loop.now();
        if (stale || now - computedAt >= RECOMPUTE_NANOS) {
            compute(now);
        }
        BitSet ours = (BitSet) offer.clone();
        if (mine != null) {
            ours.and(mine);
        }
        // what an office peer has comes over the LAN (office peers unchoke each other), never again over the WAN;
        // unless that peer hangs (owes us blocks and says nothing, or chokes us and says nothing)
        for (PeerConnection c : connections) {
            if (c.inOffice() && c.phase() == PeerConnection.Phase.ACTIVE && c.peerPieces() != null && c.serving(now)) {
                ours.andNot(c.peerPieces());
            }
        }
        return ours;
    }

    private void compute(long now) {
        stale = false;
        computedAt = now;
        long latest = ownProgress;
        int office = 1;
        for (PeerConnection c : connections) {
            if (downloadingMember(c)) {
                latest = Math.max(latest, c.lastAnnouncedNanos());
                office++;
            }
        }
        long stuck = stuckAfter(now, office);
        long[] members = new long[connections.size()];
        int n = 0;
        for (PeerConnection c : connections) {
            boolean behind = latest - c.lastAnnouncedNanos() >= stuck;
            boolean hung = now - c.lastAnnouncedNanos() >= SILENT_NANOS && c.silentFor(now, SILENT_NANOS);
            if (downloadingMember(c) && !behind && !hung) {
                members[n++] = key(c.peerId());
            }
        }
        if (n == 0) {
            mine = null;
            return;
        }
        PiecePicker p = picker.get();
        BitSet share = new BitSet(pieceCount);
        for (int piece = 0; piece < pieceCount; piece++) {
            if (p.have(piece)) {
                continue;
            }
            boolean best = true;
            for (int i = 0; i < n && best; i++) {
                best = beats(self, members[i], piece);
            }
            if (best) {
                share.set(piece);
            }
        }
        mine = share;
    }

    /**
     * How far behind the office's latest own piece a member's last one may be before it counts as stuck: {@link
     * #STUCK_NANOS}, or three times the time a member waits for its next own piece when the office's pieces come in
     * at the rate seen ({@code members} of them share it). In an office of 40 behind a link that brings in 24 pieces
     * a second each member gets one every 1.7 s; a fixed 3 s left many members out at any moment, their pieces went
     * to others as well: in the 2,000-node simulation (50 offices of 40) the busiest office's link carried 3.9 × the
     * artifact in, 3.2 × with this threshold.
     */
    private long stuckAfter(long now, int members) {
        if (rateCountAt == 0) {
            rateCountAt = now;
            rateCount = ownPiecesSeen;
        } else if (now - rateCountAt >= RECOMPUTE_NANOS / 2) {
            double rate = (ownPiecesSeen - rateCount) * 1e9 / (now - rateCountAt);
            officeRate = officeRate == 0 ? rate : 0.8 * officeRate + 0.2 * rate;
            rateCountAt = now;
            rateCount = ownPiecesSeen;
        }
        if (officeRate <= 0) {
            return STUCK_NANOS;
        }
        return Math.max(STUCK_NANOS, (long) (3e9 * members / officeRate));
    }

    /** A 64-bit key of a peer id: FNV-1a over all 20 bytes (ids share their client prefix). */
    static long key(PeerId id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.bytes()) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * Whether member {@code a} comes before member {@code b} in {@code piece}'s order: the higher weight, the higher
     * key on a tie. The one rule every node applies, so that all agree on each piece's owner.
     */
    static boolean beats(long a, long b, int piece) {
        long wa = weight(a, piece);
        long wb = weight(b, piece);
        return wa > wb || (wa == wb && a > b);
    }

    /** Rendezvous weight of a member for a piece: a SplitMix64 finalizer over both, the same on every node. */
    static long weight(long member, int piece) {
        long z = member ^ (piece * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

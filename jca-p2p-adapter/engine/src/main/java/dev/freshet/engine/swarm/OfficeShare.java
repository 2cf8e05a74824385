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
 * are still downloading and progressing; each piece goes to the member whose rendezvous weight (a hash of its peer
 * id and the piece index, the same on every node) is highest. Every member computes the same owner from what it
 * sees, so no coordination is needed; when a member goes, completes or stalls (announces no piece for
 * {@link #STALL_NANOS}), its pieces fall to the others at the next computation, within a second. Alone in its
 * office, a node fetches everything.
 *
 * <p>A member that lives but cannot get a piece (no peer it knows outside the office has it, or all of them choke it)
 * must not hold the office up: each piece has a fallback order, the members by falling weight, and the k-th member
 * may fetch the piece once it has seen it offered outside the office for k × {@link #FALLBACK_NANOS} while no office
 * peer has it yet. Owned by the network thread.
 */
final class OfficeShare {
    /** A downloading office member that announces no piece for this long no longer holds pieces for the office. */
    static final long STALL_NANOS = 10_000_000_000L;
    private static final long RECOMPUTE_NANOS = 1_000_000_000L;
    /** How long the next member in a piece's order waits for the one before it (see the class comment). */
    static final long FALLBACK_NANOS = 3_000_000_000L;

    private final NetworkLoop loop;
    private final int pieceCount;
    private final List<PeerConnection> connections;
    private final Supplier<PiecePicker> picker;
    private final long self;
    /** This node's share, or null when it has the whole office's (alone in it). */
    private BitSet mine;
    /** Per piece: this node's place in its order (0: the owner), from the last computation. */
    private byte[] place;
    /** Per piece: when this node first saw it offered by a peer outside the office (0: not yet). */
    private final long[] offeredSince;
    private long computedAt;
    private boolean stale = true;

    OfficeShare(NetworkLoop loop, int pieceCount, List<PeerConnection> connections, Supplier<PiecePicker> picker) {
        this.loop = loop;
        this.pieceCount = pieceCount;
        this.connections = connections;
        this.picker = picker;
        this.self = key(loop.peerId());
        this.offeredSince = new long[pieceCount];
    }

    /** The office changed (a member came or went): compute the shares again before the next request. */
    void invalidate() {
        stale = true;
    }

    /** Of {@code offer} (a peer outside the office has these), the pieces this node may ask that peer for. */
    BitSet restrict(BitSet offer) {
        long now = loop.now();
        if (stale || now - computedAt >= RECOMPUTE_NANOS) {
            compute(now);
        }
        BitSet ours = (BitSet) offer.clone();
        if (mine != null) {
            for (int p = offer.nextSetBit(0); p >= 0; p = offer.nextSetBit(p + 1)) {
                if (offeredSince[p] == 0) {
                    offeredSince[p] = now;
                }
                if (!mine.get(p) && now - offeredSince[p] < place[p] * FALLBACK_NANOS) {
                    ours.clear(p); // another member's, and it still has time to fetch it
                }
            }
        }
        // what an office peer has comes over the LAN (office peers unchoke each other), never again over the WAN
        for (PeerConnection c : connections) {
            if (c.rank() == 0 && c.phase() == PeerConnection.Phase.ACTIVE && c.peerPieces() != null) {
                ours.andNot(c.peerPieces());
            }
        }
        return ours;
    }

    /** Whether this node fetches {@code piece} over the WAN for its office (for tests and diagnostics). */
    boolean isMine(int piece) {
        compute(loop.now());
        return mine == null || mine.get(piece);
    }

    private void compute(long now) {
        stale = false;
        computedAt = now;
        long[] members = new long[connections.size()];
        int n = 0;
        for (PeerConnection c : connections) {
            if (c.rank() == 0 && c.phase() == PeerConnection.Phase.ACTIVE && c.peerId() != null && !c.isSeed()
                    && now - c.lastAnnouncedNanos() < STALL_NANOS) {
                members[n++] = key(c.peerId());
            }
        }
        if (n == 0) {
            mine = null;
            return;
        }
        PiecePicker p = picker.get();
        BitSet share = new BitSet(pieceCount);
        byte[] places = new byte[pieceCount];
        for (int piece = 0; piece < pieceCount; piece++) {
            if (p.have(piece)) {
                continue;
            }
            long w = weight(self, piece);
            int before = 0;
            for (int i = 0; i < n; i++) {
                long other = weight(members[i], piece);
                if (other > w || (other == w && members[i] > self)) {
                    before++;
                }
            }
            places[piece] = (byte) Math.min(before, 127);
            if (before == 0) {
                share.set(piece);
            }
        }
        mine = share;
        place = places;
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

    /** Rendezvous weight of a member for a piece: a SplitMix64 finalizer over both, the same on every node. */
    static long weight(long member, int piece) {
        long z = member ^ (piece * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.freshet.engine.swarm;

import java.util.List;

/**
 * The publisher's uplink carries each piece out about once (issue 12; BEP 16 super-seeding in spirit): while this
 * node is the swarm's first seed, a peer outside its office ({@link PeerPreference} rank above 0; every peer when
 * peers are not ranked) is served a piece only if that piece has not gone out yet, or went to that same peer, or no
 * other peer outside the office holds it any more. Any other request is rejected (BEP 6), so the asker takes the piece
 * from an office that already has it, and offices trade among themselves instead of each pulling from the publisher:
 * a distribution to k offices costs the publisher's link about F, not k·F. Peers of the publisher's own office are
 * served as usual, and so is a peer that does not speak BEP 6 (a refusal could not be told to it). A first taker
 * that stops asking for its piece (it found it elsewhere, or its office gave it to another member) gives it up after
 * {@link #ABANDONED_NANOS} with nothing of it left in our upload queue (or nothing we could send it for as long):
 * without this the last piece of a swarm once waited for good on a taker that no longer wanted it (the WAN lab,
 * every node at 255 of 256 pieces). A peer refused a piece that still asks for it
 * {@link #STARVED_NANOS} later, and is getting no piece from anyone meanwhile, is served it once the uplink is free:
 * whoever holds it cannot give it (an office cut off keeps its connections open and silent, and berlin once waited
 * 180 s for the pieces only paris had; the WAN lab's {@code --cut}).
 *
 * <p>So that every office gets a part of the publisher's uplink at once (the other parts reach it from the other
 * offices), a peer outside the office holds at most {@link #OPEN_PIECES} pieces sent but not yet announced back (its
 * requests for more are held, in order, until one of those is done: see {@code PeerConnection.releaseHeld}), and
 * the first seed unchokes up to {@link #UNCHOKED} peers instead of the usual few.
 *
 * <p>The publisher's office may have other members: they are first seeds too (the control plane starts the swarm so
 * on them), from their first piece on. Each piece is then sent out by one of them, the office member of highest
 * rendezvous weight for it ({@link #anotherOfficeSeedSends}), and first seeds keep their connections to one another
 * (two seeds otherwise close theirs) so that each sees the office it decides with. Owned by the network thread.
 */
final class FirstSeed {
    private final List<PeerConnection> connections;
    private final NetworkLoop loop;
    /** Pieces one peer outside the office may have from us at once without having announced them back. */
    static final int OPEN_PIECES = 4;
    /** Peers a first seed unchokes at once. */
    static final int UNCHOKED = 16;
    /** Per piece: the peer outside the office that was first served it (null: not out yet). */
    private final PeerConnection[] sentTo;
    /** Per piece: when its first taker last asked us for a block of it (loop nanos). */
    private final long[] lastAsked;
    /** A first taker that has not asked for its piece for this long gave it up: another may have it. */
    static final long ABANDONED_NANOS = 2_000_000_000L;
    /**
     * A peer refused a piece that still asks for it this long after the first refusal cannot get it where we sent it
     * (that office is cut off, or its holder hangs with its connections open): it is served, once.
     */
    static final long STARVED_NANOS = 5_000_000_000L;
    /** Per peer: the pieces it was refused, and when first (loop nanos); gone once served, announced or closed. */
    private final java.util.Map<PeerConnection, java.util.Map<Integer, Long>> refused = new java.util.HashMap<>();
    /** Per peer: pieces it was first served and has not announced yet. */
    private final java.util.Map<PeerConnection, java.util.List<Integer>> open = new java.util.HashMap<>();

    private final long self;
    private final dev.freshet.engine.storage.PieceLayout layout;
    /** Per piece: the blocks of it its first taker has been served (asked for and accepted). */
    private final int[] servedBlocks;

    FirstSeed(NetworkLoop loop, dev.freshet.engine.storage.PieceLayout layout, List<PeerConnection> connections) {
        this.loop = loop;
        this.self = OfficeShare.key(loop.peerId());
        this.connections = connections;
        this.layout = layout;
        this.sentTo = new PeerConnection[layout.pieceCount()];
        this.lastAsked = new long[layout.pieceCount()];
        this.servedBlocks = new int[layout.pieceCount()];
    }

    /**
     * Whether {@code c} is held to "each piece once": a peer outside the office that speaks BEP 6, so that a refusal is
     * a REJECT it understands. A peer without it is served whatever it asks (a request silently dropped would stall it).
     */
    private boolean outside(PeerConnection c) {
        return (!loop.ranksPeers() || c.outsideOffice()) && c.supportsFast();
    }

    /**
     * Whether {@code c} may be sent {@code piece} now (recorded as gone out when so), never (another peer outside the
     * office has it or is being sent it), or once its {@link #OPEN_PIECES} pieces in flight are done ({@code HOLD}).
     */
    Swarm.Serve serve(PeerConnection c, int piece) {
        if (!outside(c)) {
            return Swarm.Serve.NOW;
        }
        if (c.isClusterMember() && anotherOfficeSeedSends(piece)) {
            // that member sends it out: a member of another office knows every holder from the directory and goes
            // there (or is served when starved). An outside client may know this node only (a tracker's answer):
            // refused, it waited for each piece (Transmission in the interop suite, 20 % in 180 s)
            return refuse(c, piece);
        }
        PeerConnection first = sentTo[piece];
        if (first == c) {
            lastAsked[piece] = loop.now();
            servedBlocks[piece]++;
            return Swarm.Serve.NOW;
        }
        if (first == null) {
            return claim(c, piece);
        }
        if (first.phase() == PeerConnection.Phase.ACTIVE && !first.amChoking() && !first.peerPieces().get(piece)
                && !abandoned(first, piece)) {
            return refuse(c, piece); // on its way to the first taker, which we still serve and which still asks
        }
        for (PeerConnection other : connections) {
            if (other != c && outside(other) && other.peerPieces() != null && other.peerPieces().get(piece)) {
                return refuse(c, piece); // someone outside the office has it: take it from there
            }
        }
        return claim(c, piece); // whoever had it went (or gave it up): out again, once
    }

    /**
     * Whether a member of this node's office other than this one sends {@code piece} out of the office: of this node
     * and its connected members of the office, the one of highest rendezvous weight for it (the rule of
     * {@link OfficeShare}, the same on every node), whether it holds the piece yet or not: in the publisher's office
     * every member has every piece over the LAN in moments, and a choice among holders only would change as they
     * get it (each member then sent each piece out once, and hq's link carried a copy per member). So an office of
     * several first seeds sends each piece out about once: without it, in a simulated 45 nodes in 9 offices with 5
     * in hq, hq's link carried 9 F out and the run took 9 × F/W. Two members that see the office differently, or a
     * winner that never gets the piece, may leave an asker refused by all: it is served {@link #STARVED_NANOS} later.
     */
    private boolean anotherOfficeSeedSends(int piece) {
        if (!loop.ranksPeers()) {
            return false;
        }
        long best = self;
        for (PeerConnection o : connections) {
            if (o.inOffice() && o.phase() == PeerConnection.Phase.ACTIVE && o.peerId() != null) {
                long k = OfficeShare.key(o.peerId());
                if (OfficeShare.beats(k, best, piece)) {
                    best = k;
                }
            }
        }
        return best != self;
    }

    /**
     * {@code NEVER}, unless {@code c} was first refused {@code piece} {@link #STARVED_NANOS} ago and still asks: then
     * whoever holds it cannot give it ({@link #claim}: out again). Liveness does not wait for a dead connection to
     * be noticed (180 s of silence), and needs no knowledge of which offices can reach which.
     */
    private Swarm.Serve refuse(PeerConnection c, int piece) {
        long now = loop.now();
        long since = refused.computeIfAbsent(c, k -> new java.util.HashMap<>()).computeIfAbsent(piece, k -> now);
        return starved(c, now, since) ? claim(c, piece) : Swarm.Serve.NEVER;
    }

    /**
     * A peer refused a piece since {@code since} is starved of it when it still asks {@link #STARVED_NANOS} later,
     * has announced no piece for as long (it is getting nothing anywhere: whoever holds the piece cannot give it,
     * as when that office is cut off or its holder hangs), and our uplink has nothing else to send
     * ({@link #uplinkBusy}). A peer that still gets pieces will get this one from where it went: on slow links a
     * piece takes longer than {@link #STARVED_NANOS} to spread, and without the progress test the escape sent most
     * pieces out again (simulated hq of 5 and 19 offices of 5, 768 pieces over 6.25 Mbit/s links: 1,913 pieces as
     * starved, 2.5 F out of hq, p50 2.4 × F/W; with it, 15 pieces, 1.3 F, p50 1.7 × F/W).
     */
    private boolean starved(PeerConnection c, long now, long since) {
        return now - since >= STARVED_NANOS && now - c.lastHaveNanos() >= STARVED_NANOS && !uplinkBusy(c);
    }

    /**
     * Whether another peer outside the office has bytes or requests of ours waiting to be sent: the uplink is then
     * busy with pieces going out, and a second copy of a piece would only slow the first ones (in the run above,
     * with neither test, 5,321 pieces went out as starved: 6.2 F over hq's link).
     */
    private boolean uplinkBusy(PeerConnection c) {
        long now = loop.now();
        for (PeerConnection o : connections) {
            // one whose socket took nothing for a while is stuck (its office cut off, or it hangs), not busy
            if (o != c && outside(o) && o.hasQueuedUploads() && !o.quietFor(now, ABANDONED_NANOS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Its first taker has not asked for it lately, had not been served all its blocks (one that was is waiting for
     * them to arrive: on a slow link they take seconds after the last request, and counting that as giving up sent
     * 1,924 pieces out again in the run above), and has no block of it waiting in our upload queue that we are still
     * able to send (a taker that hangs reads nothing, and what waits for it waits for good).
     */
    private boolean abandoned(PeerConnection first, int piece) {
        return servedBlocks[piece] < layout.blocksInPiece(piece) && quietOn(first, piece);
    }

    /**
     * Its taker has not asked for {@code piece} lately and has nothing of it waiting in our upload queue that we are
     * still able to send: it no longer counts among the taker's {@link #OPEN_PIECES}, served in full or given up.
     * (Not an announcement: clients that do not tell a seed of the pieces they got, as Transmission, would otherwise
     * hold their four open pieces for good: the interop suite saw it download at 8 kB/s.)
     */
    private boolean quietOn(PeerConnection taker, int piece) {
        long now = loop.now();
        return now - lastAsked[piece] >= ABANDONED_NANOS
                && (!taker.hasQueuedUpload(piece) || taker.quietFor(now, ABANDONED_NANOS));
    }

    private Swarm.Serve claim(PeerConnection c, int piece) {
        java.util.List<Integer> mine = open.computeIfAbsent(c, k -> new java.util.ArrayList<>());
        long now = loop.now();
        // still open: its own, not announced, and still asked for (a piece given up frees its place)
        mine.removeIf(p -> sentTo[p] != c || c.peerPieces().get(p) || quietOn(c, p));
        if (mine.size() >= OPEN_PIECES) {
            return Swarm.Serve.HOLD; // it has enough from us in flight: the rest of the uplink is for the others
        }
        sentTo[piece] = c;
        lastAsked[piece] = now;
        servedBlocks[piece] = 1;
        mine.add(piece);
        forgetRefusal(c, piece);
        return Swarm.Serve.NOW;
    }

    /** A peer announced a piece: if it was first served it, that piece no longer counts as open. */
    void peerHas(PeerConnection c, int piece) {
        java.util.List<Integer> mine = open.get(c);
        if (mine != null) {
            mine.remove((Integer) piece);
        }
        forgetRefusal(c, piece);
    }

    private void forgetRefusal(PeerConnection c, int piece) {
        java.util.Map<Integer, Long> pieces = refused.get(c);
        if (pieces != null && pieces.remove(piece) != null && pieces.isEmpty()) {
            refused.remove(c);
        }
    }

    void peerClosed(PeerConnection c) {
        open.remove(c);
        refused.remove(c);
    }
}

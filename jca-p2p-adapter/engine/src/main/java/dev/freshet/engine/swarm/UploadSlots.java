package dev.freshet.engine.swarm;

import dev.freshet.engine.choker.Choker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Who of a swarm's peers we upload to. Every choke round ({@link Timeouts#chokeRound}, 10 s) the {@link Choker}
 * decides; in between, a free slot goes at once to a peer that becomes interested, and a peer that loses interest
 * gives its slot back. Peers of this node's own cluster ({@link NetworkLoop#preferPeers}) and of its office
 * ({@link PeerPreference} rank 0, when peers are ranked) take no slot: they are unchoked whenever they are interested.
 * Tit-for-tat is for strangers; members cooperate by design, and a piece one office fetched over the WAN must reach
 * the others without waiting for a slot (issue 12: twenty offices waited seconds on each other's chokes, and fetched
 * pieces twice meanwhile). Owned by the network thread.
 */
final class UploadSlots {
    static final int OPTIMISTIC_EVERY_ROUNDS = 3;

    private final Choker<PeerConnection> choker;
    private final int slots;
    private int rounds;
    /** Peers that take no slot (members of this node's cluster or office): unchoked whenever interested. */
    private final java.util.function.Predicate<PeerConnection> slotFree;

    UploadSlots(int regularSlots, RandomGenerator random, java.util.function.Predicate<PeerConnection> slotFree) {
        this.choker = new Choker<>(regularSlots, random);
        this.slots = regularSlots + 1; // plus the optimistic unchoke
        this.slotFree = slotFree;
    }

    void interestChanged(PeerConnection c, List<PeerConnection> connections) {
        if (slotFree.test(c)) {
            if (c.peerInterested()) {
                c.unchoke();
            } else {
                c.choke();
            }
            return;
        }
        if (c.peerInterested() && c.amChoking()) {
            fill(connections);
        } else if (!c.peerInterested() && !c.amChoking()) {
            c.choke();
            fill(connections);
        }
    }

    /** Unchokes interested peers at once while slots are free, without waiting for the next round. */
    void fill(List<PeerConnection> connections) {
        int unchoked = 0;
        for (PeerConnection c : connections) {
            if (!c.amChoking() && !slotFree.test(c)) {
                unchoked++;
            }
        }
        for (PeerConnection c : connections) {
            if (slotFree.test(c)) {
                if (c.amChoking() && c.peerInterested()) {
                    c.unchoke();
                }
                continue;
            }
            if (unchoked >= slots) {
                continue;
            }
            if (c.amChoking() && c.peerInterested()) {
                c.unchoke();
                unchoked++;
            }
        }
    }

    /** A choking round: by download rate while downloading, by upload rate while seeding. */
    void round(List<PeerConnection> connections, boolean seeding) {
        List<Choker.Candidate<PeerConnection>> candidates = new ArrayList<>();
        for (PeerConnection c : connections) {
            if (!slotFree.test(c)) {
                candidates.add(new Choker.Candidate<>(c, c.peerInterested(), c.downloadRate(), c.uploadRate()));
            }
        }
        boolean rotate = rounds++ % OPTIMISTIC_EVERY_ROUNDS == 0;
        Set<PeerConnection> unchoke = choker.choose(candidates, seeding, rotate);
        for (PeerConnection c : connections) {
            if (slotFree.test(c) ? c.peerInterested() : unchoke.contains(c)) {
                c.unchoke();
            } else {
                c.choke();
            }
        }
    }
}

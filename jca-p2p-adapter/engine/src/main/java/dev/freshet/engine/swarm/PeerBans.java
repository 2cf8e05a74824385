package dev.freshet.engine.swarm;

import dev.freshet.engine.picker.Block;
import dev.freshet.engine.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who sent which block of each piece, and who is banned. A peer is banned when
 * <ul>
 *   <li>it was the only source of a piece that failed its hash check, twice (a member of the cluster, whose copy may
 *       only have rotted, {@link #MEMBER_SOLE_FAILURES_TO_BAN} times); or</li>
 *   <li>a piece that failed later passes, and the block it had sent for that piece differs from the
 *       block that passed (so its block was the bad one, whoever else contributed).</li>
 * </ul>
 * Owned by the network thread.
 */
final class PeerBans {
    static final int SOLE_FAILURES_TO_BAN = 2;
    /**
     * For a member of this node's own cluster: its copy may have rotted. It is asked to recheck the piece, and is
     * not asked for that piece again until it announces it anew (see {@code Swarm.pieceHashed}); a block of it
     * that differs from the good one is what a rotten copy looks like, so that rule does not ban a member. One
     * that goes on being the only source of failed pieces is banned all the same, later.
     */
    static final int MEMBER_SOLE_FAILURES_TO_BAN = 8;

    private final Set<PeerId> bannedIds = new HashSet<>();
    private final Set<InetSocketAddress> bannedAddresses = new HashSet<>();
    /** Who sent each block of pieces in progress, by piece (null when none arrived). */
    private final PeerId[][] sources;
    /** piece -> block -> (peer, digest of the block it sent) from failed attempts. */
    private final Map<Integer, Map<Integer, List<Suspect>>> suspects = new HashMap<>();
    private final Map<PeerId, Integer> soleFailures = new HashMap<>();

    private record Suspect(PeerId peer, byte[] digest) {
    }

    PeerBans(int pieceCount) {
        this.sources = new PeerId[pieceCount][];
    }

    /** What a failed piece tells: who contributed, and who is now to be banned. */
    record Failure(Set<PeerId> contributors, List<PeerId> toBan) {
        String contributorsText() {
            return contributors.stream().map(PeerId::toString).reduce((a, b) -> a + ", " + b).orElse("");
        }
    }

    void recordSource(Block block, PeerId peer, int blocksInPiece) {
        PeerId[] s = sources[block.piece()];
        if (s == null) {
            s = new PeerId[blocksInPiece];
            sources[block.piece()] = s;
        }
        s[block.index()] = peer;
    }

    boolean hasFailureHistory(int piece) {
        return suspects.containsKey(piece);
    }

    Failure pieceFailed(int piece, byte[][] blockDigests, java.util.function.Predicate<PeerId> member) {
        PeerId[] from = sources[piece];
        sources[piece] = null;
        Set<PeerId> contributors = new LinkedHashSet<>();
        if (from != null) {
            for (int b = 0; b < from.length; b++) {
                if (from[b] != null) {
                    contributors.add(from[b]);
                    if (blockDigests != null) {
                        suspects.computeIfAbsent(piece, p -> new HashMap<>())
                                .computeIfAbsent(b, x -> new ArrayList<>()).add(new Suspect(from[b], blockDigests[b]));
                    }
                }
            }
        }
        List<PeerId> toBan = new ArrayList<>();
        if (contributors.size() == 1) {
            PeerId only = contributors.iterator().next();
            int limit = member.test(only) ? MEMBER_SOLE_FAILURES_TO_BAN : SOLE_FAILURES_TO_BAN;
            if (soleFailures.merge(only, 1, Integer::sum) >= limit) {
                toBan.add(only);
            }
        }
        return new Failure(contributors, toBan);
    }

    /**
     * The piece passed; returns the peers whose earlier blocks for it differ from the good ones, except members of
     * the cluster ({@code member}), whose copies may have rotted.
     */
    List<PeerId> pieceVerified(int piece, byte[][] goodDigests, java.util.function.Predicate<PeerId> member) {
        sources[piece] = null;
        Map<Integer, List<Suspect>> bad = suspects.remove(piece);
        List<PeerId> culprits = new ArrayList<>();
        if (bad == null || goodDigests == null) {
            return culprits;
        }
        for (Map.Entry<Integer, List<Suspect>> e : bad.entrySet()) {
            for (Suspect s : e.getValue()) {
                if (!Arrays.equals(s.digest(), goodDigests[e.getKey()]) && !culprits.contains(s.peer())
                        && !member.test(s.peer())) {
                    culprits.add(s.peer());
                }
            }
        }
        return culprits;
    }

    void ban(PeerId peer, InetSocketAddress remote, InetSocketAddress listen) {
        bannedIds.add(peer);
        if (remote != null) {
            bannedAddresses.add(remote);
        }
        if (listen != null) {
            bannedAddresses.add(listen);
        }
    }

    /** How many peers are banned. */
    int bannedCount() {
        return bannedIds.size();
    }

    boolean isBanned(PeerId peer) {
        return bannedIds.contains(peer);
    }

    boolean isBanned(InetSocketAddress address) {
        return bannedAddresses.contains(address);
    }
}

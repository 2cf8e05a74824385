package dev.freshet.engine.swarm;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.List;

/**
 * How a swarm is added: its initial peers, whether to ask trackers for more (the torrent's own, then
 * {@code extraTrackers}), its own rate limits (0 = only the global limit applies), and whether the data
 * is trusted as complete (skip the check: only for data this node has just hashed itself), and whether this node is
 * one of the swarm's first seeds ({@code firstSeed}: the publisher or a node of its office; together they send each
 * piece outside their office about once, see {@code FirstSeed}).
 */
public record SwarmOptions(List<InetSocketAddress> peers, boolean announce, List<String> extraTrackers,
                           long downloadLimit, long uploadLimit, boolean trustedComplete, BitSet resumePieces,
                           long resumeAsOf, boolean firstSeed) {
    public SwarmOptions {
        peers = List.copyOf(peers);
        extraTrackers = List.copyOf(extraTrackers);
        resumePieces = (BitSet) resumePieces.clone();
    }

    public SwarmOptions(List<InetSocketAddress> peers, boolean announce, List<String> extraTrackers,
                        long downloadLimit, long uploadLimit, boolean trustedComplete) {
        this(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, new BitSet(), Long.MAX_VALUE,
                false);
    }

    @Override
    public BitSet resumePieces() {
        return (BitSet) resumePieces.clone();
    }

    /**
     * Pieces this node verified in an earlier run (its resume data), recorded at {@code asOfMillis} (epoch ms):
     * they are taken as valid without hashing them again, as long as the storage may hold them and none of
     * their files changed after that time (bytes changed at rest are caught here; 0 = time unknown, every
     * piece is checked); every other piece is checked.
     */
    public SwarmOptions withResumePieces(BitSet verified, long asOfMillis) {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, verified,
                asOfMillis, firstSeed);
    }

    /** Resume data whose files are trusted whatever their modification time (tests, the command line). */
    public SwarmOptions withResumePieces(BitSet verified) {
        return withResumePieces(verified, Long.MAX_VALUE);
    }

    public static SwarmOptions defaults() {
        return new SwarmOptions(List.of(), true, List.of(), 0, 0, false);
    }

    public SwarmOptions withPeers(List<InetSocketAddress> peers) {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, resumePieces, resumeAsOf, firstSeed);
    }

    public SwarmOptions withAnnounce(boolean announce) {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, resumePieces, resumeAsOf, firstSeed);
    }

    /** Tracker announce URLs to use besides the torrent's own. */
    public SwarmOptions withTrackers(List<String> trackers) {
        return new SwarmOptions(peers, announce, trackers, downloadLimit, uploadLimit, trustedComplete, resumePieces, resumeAsOf, firstSeed);
    }

    public SwarmOptions trusted() {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, true, resumePieces, resumeAsOf, firstSeed);
    }

    /**
     * This node publishes the swarm, or is in the publisher's office (one of its first seeds): peers outside the
     * office are sent each piece about once by the office's members together, and take the rest from each other
     * (issue 12).
     */
    public SwarmOptions asFirstSeed() {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, resumePieces,
                resumeAsOf, true);
    }
}

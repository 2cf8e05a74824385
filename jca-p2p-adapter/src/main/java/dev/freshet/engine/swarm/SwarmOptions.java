package dev.freshet.engine.swarm;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.List;

/**
 * How a swarm is added: its initial peers, whether to ask trackers for more (the torrent's own, then
 * {@code extraTrackers}), its own rate limits (0 = only the global limit applies), and whether the data
 * is trusted as complete (skip the check: only for data this node has just hashed itself).
 */
public record SwarmOptions(List<InetSocketAddress> peers, boolean announce, List<String> extraTrackers,
                           long downloadLimit, long uploadLimit, boolean trustedComplete, BitSet resumePieces) {
    public SwarmOptions {
        peers = List.copyOf(peers);
        extraTrackers = List.copyOf(extraTrackers);
        resumePieces = (BitSet) resumePieces.clone();
    }

    public SwarmOptions(List<InetSocketAddress> peers, boolean announce, List<String> extraTrackers,
                        long downloadLimit, long uploadLimit, boolean trustedComplete) {
        this(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, new BitSet());
    }

    @Override
    public BitSet resumePieces() {
        return (BitSet) resumePieces.clone();
    }

    /**
     * Pieces this node verified in an earlier run (its resume data): they are taken as valid without
     * hashing them again, as long as the storage may hold them; every other piece is checked.
     */
    public SwarmOptions withResumePieces(BitSet verified) {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, verified);
    }

    public static SwarmOptions defaults() {
        return new SwarmOptions(List.of(), true, List.of(), 0, 0, false);
    }

    public SwarmOptions withPeers(List<InetSocketAddress> peers) {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, resumePieces);
    }

    public SwarmOptions withAnnounce(boolean announce) {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, trustedComplete, resumePieces);
    }

    /** Tracker announce URLs to use besides the torrent's own. */
    public SwarmOptions withTrackers(List<String> trackers) {
        return new SwarmOptions(peers, announce, trackers, downloadLimit, uploadLimit, trustedComplete, resumePieces);
    }

    public SwarmOptions trusted() {
        return new SwarmOptions(peers, announce, extraTrackers, downloadLimit, uploadLimit, true, resumePieces);
    }
}

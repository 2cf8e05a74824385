package dev.freshet.control;

import java.util.List;

/**
 * A swarm as the API shows it: this node's record joined with the engine's live status. Sizes in bytes,
 * rates in bytes per second; {@code progress} is the verified share, 0..1 (exactly 1 when every piece is verified).
 */
public record SwarmView(String infoHash, String name, long size, int pieces, int pieceLength, int verifiedPieces,
                        double progress, String state, long downloadRate, long uploadRate, long downloaded,
                        long uploaded, long downloadedThisRun, String bitfield, int peerCount, List<PeerView> peers, String savePath, String policy,
                        String magnet, String addedAt, String completedAt, String error,
                        @jakarta.json.bind.annotation.JsonbProperty("private") boolean isPrivate) {

    /** One connected peer. */
    public record PeerView(String address, String client, boolean seed, double progress, long downloadRate,
                           long uploadRate, boolean outgoing) {
    }
}

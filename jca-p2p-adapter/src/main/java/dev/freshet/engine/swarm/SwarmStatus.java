package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;

import java.util.BitSet;
import java.util.List;

/** A snapshot of one swarm, taken on the network thread. Rates in bytes per second; totals are payload bytes. */
public record SwarmStatus(InfoHash infoHash, String name, SwarmState state, long totalLength, int pieceCount,
                          int verifiedPieces, long verifiedBytes, long downloaded, long uploaded, long downloadRate,
                          long uploadRate, List<PeerStatus> peers, BitSet verified, long downloadLimit,
                          long uploadLimit, String error) {

    /** Verified share of the swarm, 0..1; exactly 1 only when every piece is verified. */
    public double progress() {
        return verifiedPieces == pieceCount ? 1.0 : (double) verifiedBytes / totalLength;
    }

    /** One connected peer. */
    public record PeerStatus(String address, String peerId, String client, boolean outgoing, boolean seed,
                             int pieces, long downloadRate, long uploadRate, boolean amChoking,
                             boolean peerChoking, boolean amInterested, boolean peerInterested) {
    }
}

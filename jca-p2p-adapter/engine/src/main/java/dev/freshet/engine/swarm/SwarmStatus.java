package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;

import java.util.BitSet;
import java.util.List;

/**
 * A snapshot of one swarm, taken on the network thread. Rates in bytes per second; totals are payload bytes.
 * {@code downloading}: pieces partly fetched; {@code availability}: per piece, how many connected peers have it
 * (unsigned, capped at 255). Both only in the status of one swarm ({@code Engine.status}); in
 * {@code Engine.statuses} they are empty. {@code wanDownloaded} and {@code wanUploaded}: payload bytes of this run from
 * and to peers outside this node's office ({@link PeerPreference} rank above 0; 0 while peers are not ranked).
 * {@code byClass}: payload bytes of this run by class of peer; {@code piecesFailed}: pieces of this run that failed
 * their hash check; {@code peersBanned}: peers banned from the swarm for sending such data.
 */
public record SwarmStatus(InfoHash infoHash, String name, SwarmState state, long totalLength, int pieceCount,
                          int verifiedPieces, long verifiedBytes, long downloaded, long uploaded, long downloadRate,
                          long uploadRate, List<PeerStatus> peers, BitSet verified, long downloadLimit,
                          long uploadLimit, String error, BitSet downloading, byte[] availability, long wanDownloaded,
                          long wanUploaded, PeerClassBytes byClass, long piecesFailed, int peersBanned) {

    /**
     * Payload bytes received from and sent to each class of peer: a member of this node's office (rank 0), of another
     * office (rank 1), anyone else (rank 2 and above, and every peer while peers are not ranked).
     */
    public record PeerClassBytes(long sameOfficeIn, long otherOfficeIn, long outsideIn, long sameOfficeOut,
                                 long otherOfficeOut, long outsideOut) {
        public static final PeerClassBytes NONE = new PeerClassBytes(0, 0, 0, 0, 0, 0);

        public PeerClassBytes plus(PeerClassBytes o) {
            return new PeerClassBytes(sameOfficeIn + o.sameOfficeIn, otherOfficeIn + o.otherOfficeIn,
                    outsideIn + o.outsideIn, sameOfficeOut + o.sameOfficeOut, otherOfficeOut + o.otherOfficeOut,
                    outsideOut + o.outsideOut);
        }
    }

    /** Verified share of the swarm, 0..1; exactly 1 only when every piece is verified. */
    public double progress() {
        return verifiedPieces == pieceCount ? 1.0 : (double) verifiedBytes / totalLength;
    }

    /**
     * One connected peer. {@code address} is the connection's far end; {@code listenAddress} where the peer
     * takes connections (the same for outgoing connections; from its extension handshake for incoming ones);
     * {@code encryption} the TLS protocol of a member's connection ({@code TLSv1.3}), {@code ""} for plain BitTorrent.
     */
    public record PeerStatus(String address, String listenAddress, String peerId, String client, boolean outgoing,
                             boolean seed, int pieces, long downloadRate, long uploadRate, boolean amChoking,
                             boolean peerChoking, boolean amInterested, boolean peerInterested, String encryption) {
    }
}

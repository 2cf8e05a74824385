package dev.freshet.control;

import dev.freshet.control.directory.MemberEntry;
import dev.freshet.engine.metainfo.InfoHash;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A swarm on this node: its catalog record joined with the engine's live status (when the engine runs it). Sizes
 * in bytes, rates in bytes per second; {@code progress} is the verified share, 0..1 (exactly 1 when every piece is
 * verified). How it is shown (JSON, bitfields in base64, peer flags) is the web tier's business.
 * {@link #detail} is there for one swarm looked at on its own, not in a list.
 */
public record NodeSwarm(InfoHash infoHash, String name, long size, int pieces, int pieceLength, int verifiedPieces,
                        double progress, NodeSwarmState state, long downloadRate, long uploadRate, long downloaded,
                        long uploaded, long downloadedThisRun, BitSet verified, List<Peer> peers, String savePath,
                        Policy policy, String magnet, Instant addedAt, Instant completedAt, String error,
                        boolean isPrivate, long wanDownloadedThisRun, long wanUploadedThisRun, String owner,
                        Optional<Detail> detail) {

    /** The info-hash, lower-case hex: the API's form of it. */
    public String hex() {
        return infoHash.hex();
    }

    /**
     * One connected peer; {@code member} when it is a node of this cluster; {@code encryption} the TLS protocol when
     * the connection is encrypted (a member's), {@code ""} for plain BitTorrent.
     */
    public record Peer(String address, String client, Optional<MemberEntry> member, boolean seed, double progress,
                       long downloadRate, long uploadRate, boolean outgoing, boolean amInterested,
                       boolean peerChoking, boolean peerInterested, boolean amChoking, String encryption) {
    }

    /** One file of the swarm: its path inside the swarm, size and verified share. */
    public record FileProgress(String path, long size, double progress) {
    }

    /** Per-piece detail: each file's share, the pieces partly fetched, and how many connected peers have each piece. */
    public record Detail(List<FileProgress> files, BitSet downloading, byte[] availability) {
    }
}

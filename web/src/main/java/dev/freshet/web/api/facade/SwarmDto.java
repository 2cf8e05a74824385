package dev.freshet.web.api.facade;

import jakarta.json.bind.annotation.JsonbProperty;

import java.util.List;

/**
 * A swarm as the API shows it (JSON). Sizes in bytes, rates in bytes per second; {@code progress} is the verified
 * share, 0..1 (exactly 1 when every piece is verified). {@code state} is a {@code NodeSwarmState} label.
 * {@code bitfield}, {@code downloading} (pieces partly fetched) are BEP 3 bitfields, base64; {@code availability}
 * is one byte per piece (how many connected peers have it), base64. A list of swarms leaves out {@code files},
 * {@code downloading} and {@code availability}; a viewer gets no magnet link of a private swarm (it carries the key).
 * {@code wanDownloaded}, {@code wanUploaded}: bytes of this run from and to peers outside this node's office (its WAN
 * link), and {@code wanDownloadedPerSize} the first ÷ {@code size}: about 1 when each piece crossed once.
 * {@code owner}: who published or added it on this node (a user or {@code token:<id>}), null when the cluster's
 * policy fetched it; a publisher may pause, resume and remove the swarms it owns.
 */
public record SwarmDto(String infoHash, String name, long size, int pieces, int pieceLength, int verifiedPieces,
                       double progress, String state, long downloadRate, long uploadRate, long downloaded,
                       long uploaded, long downloadedThisRun, String bitfield, int peerCount, List<PeerDto> peers,
                       String savePath, String policy, String magnet, String addedAt, String completedAt,
                       String error, @JsonbProperty("private") boolean isPrivate, List<FileDto> files,
                       String downloading, String availability, long wanDownloaded, long wanUploaded,
                       double wanDownloadedPerSize, String owner) {

    /**
     * One connected peer. {@code office} and {@code node} when it is a member of this cluster. {@code flags}, as
     * in qBittorrent: D downloading from it, d we want its data but it chokes us, U uploading to it, u it wants
     * ours but we choke it, I incoming connection, S a seed.
     */
    public record PeerDto(String address, String client, String node, String office, boolean seed, double progress,
                          long downloadRate, long uploadRate, boolean outgoing, String flags, String encryption) {
    }

    /** One file of the swarm: its path inside the swarm, size and verified share. */
    public record FileDto(String path, long size, double progress) {
    }
}

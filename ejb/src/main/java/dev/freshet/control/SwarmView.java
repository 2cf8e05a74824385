package dev.freshet.control;

import jakarta.json.bind.annotation.JsonbProperty;

import java.util.List;

/**
 * A swarm as the API shows it: this node's record joined with the engine's live status. Sizes in bytes,
 * rates in bytes per second; {@code progress} is the verified share, 0..1 (exactly 1 when every piece is verified).
 * {@code bitfield}, {@code downloading} (pieces partly fetched) are BEP 3 bitfields, base64; {@code availability}
 * is one byte per piece (how many connected peers have it), base64. A list of swarms leaves out
 * {@code files}, {@code downloading} and {@code availability}.
 */
public record SwarmView(String infoHash, String name, long size, int pieces, int pieceLength, int verifiedPieces,
                        double progress, String state, long downloadRate, long uploadRate, long downloaded,
                        long uploaded, long downloadedThisRun, String bitfield, int peerCount, List<PeerView> peers,
                        String savePath, String policy, String magnet, String addedAt, String completedAt,
                        String error, @JsonbProperty("private") boolean isPrivate, List<FileView> files,
                        String downloading, String availability) {

    /**
     * What a viewer may see: a private swarm's magnet link carries its tracker key (BEP 27), which admits a client
     * to the swarm, so only an admin gets it (and the {@code .torrent}); everything else is the same.
     */
    public SwarmView forViewer() {
        return !isPrivate ? this : new SwarmView(infoHash, name, size, pieces, pieceLength, verifiedPieces, progress,
                state, downloadRate, uploadRate, downloaded, uploaded, downloadedThisRun, bitfield, peerCount, peers,
                savePath, policy, null, addedAt, completedAt, error, isPrivate, files, downloading, availability);
    }

    /**
     * One connected peer. {@code office} and {@code node} when it is a member of this cluster. {@code flags}, as
     * in qBittorrent: D downloading from it, d we want its data but it chokes us, U uploading to it, u it wants
     * ours but we choke it, I incoming connection, S a seed.
     */
    public record PeerView(String address, String client, String node, String office, boolean seed, double progress,
                           long downloadRate, long uploadRate, boolean outgoing, String flags) {
    }

    /** One file of the swarm: its path inside the swarm, size and verified share. */
    public record FileView(String path, long size, double progress) {
    }
}

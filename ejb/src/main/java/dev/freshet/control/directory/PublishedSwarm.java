package dev.freshet.control.directory;

import java.util.Base64;

/** A swarm published in the cluster. {@code torrent} is the {@code .torrent} file, base64. */
public record PublishedSwarm(String infoHash, String name, long totalLength, int pieceCount, String policy,
                             String torrent, String publishedBy, long publishedAt) {
    public byte[] torrentBytes() {
        return Base64.getDecoder().decode(torrent);
    }

    public static PublishedSwarm of(String infoHash, String name, long totalLength, int pieceCount, String policy,
                                    byte[] torrent, String publishedBy) {
        return new PublishedSwarm(infoHash, name, totalLength, pieceCount, policy,
                Base64.getEncoder().encodeToString(torrent), publishedBy, System.currentTimeMillis());
    }
}

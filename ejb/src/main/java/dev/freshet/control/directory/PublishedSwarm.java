package dev.freshet.control.directory;

import dev.freshet.engine.metainfo.Metainfo;

import java.util.Base64;

/**
 * A swarm published in the cluster. {@code torrent} is the {@code .torrent} file, base64; a private swarm
 * (BEP 27) has the key its tracker URLs carry in {@code announceKey} (see {@link AnnounceKey}).
 */
public record PublishedSwarm(String infoHash, String name, long totalLength, int pieceCount, String policy,
                             String torrent, String publishedBy, long publishedAt, boolean privateSwarm,
                             String announceKey) {
    /** Whether a tracker request carrying {@code auth} (null: none) may see this swarm: always, unless it is private. */
    public boolean admits(String auth) {
        return !privateSwarm || AnnounceKey.matches(announceKey, auth);
    }

    public byte[] torrentBytes() {
        return Base64.getDecoder().decode(torrent);
    }

    public static PublishedSwarm of(String infoHash, String name, long totalLength, int pieceCount, String policy,
                                    byte[] torrent, String publishedBy) {
        Metainfo m = Metainfo.parse(torrent);
        boolean isPrivate = m.info().isPrivate();
        return new PublishedSwarm(infoHash, name, totalLength, pieceCount, policy,
                Base64.getEncoder().encodeToString(torrent), publishedBy, System.currentTimeMillis(), isPrivate,
                isPrivate ? AnnounceKey.of(m).orElse(null) : null);
    }
}

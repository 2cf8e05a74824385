package dev.freshet.control.directory;

import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.MetainfoException;

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

    /**
     * The {@code .torrent} after checking that its info dictionary hashes to {@code filedUnder}, the info-hash the
     * entry was looked up by (and to the one the entry names): an entry whose metainfo belongs to other content is
     * never served or started, whoever wrote it into the grid (issue 10, case 13).
     */
    public byte[] verifiedTorrent(String filedUnder) {
        verify(filedUnder);
        return Base64.getDecoder().decode(torrent);
    }

    /** The metainfo, checked as {@link #verifiedTorrent} says. */
    public Metainfo verify(String filedUnder) {
        Metainfo m;
        try {
            m = Metainfo.parse(Base64.getDecoder().decode(torrent == null ? "" : torrent));
        } catch (IllegalArgumentException e) {
            throw new MetainfoException("the cluster directory's entry for " + filedUnder + " holds no valid .torrent");
        }
        String actual = m.infoHash().hex();
        if (!actual.equalsIgnoreCase(filedUnder) || !actual.equalsIgnoreCase(infoHash)) {
            throw new MetainfoException("the cluster directory's entry for " + filedUnder + " holds the metainfo of "
                    + actual + ": refused");
        }
        return m;
    }

    /** The same entry published at {@code epochMillis}. */
    public PublishedSwarm publishedAt(long epochMillis) {
        return new PublishedSwarm(infoHash, name, totalLength, pieceCount, policy, torrent, publishedBy, epochMillis,
                privateSwarm, announceKey);
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

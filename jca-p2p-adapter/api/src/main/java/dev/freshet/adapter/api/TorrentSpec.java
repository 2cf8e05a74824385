package dev.freshet.adapter.api;

import dev.freshet.engine.create.TorrentCreator;

import java.util.List;
import java.util.Objects;

/**
 * What a new torrent should say besides its data: BEP 12 tracker tiers, the BEP 27 private flag, the piece
 * length (0: automatic) and whom to tell how far hashing is.
 */
public record TorrentSpec(List<List<String>> trackerTiers, boolean privateFlag, int pieceLength,
                          TorrentCreator.Progress progress) {
    public TorrentSpec {
        trackerTiers = List.copyOf(trackerTiers);
        Objects.requireNonNull(progress, "progress");
    }
}

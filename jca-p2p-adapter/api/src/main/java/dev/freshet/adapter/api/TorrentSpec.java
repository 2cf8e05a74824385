package dev.freshet.adapter.api;

import dev.freshet.engine.create.TorrentCreator;

import java.util.List;
import java.util.Objects;

/**
 * What a new torrent should say besides its data: BEP 12 tracker tiers, the BEP 27 private flag, the piece
 * length (0: automatic), BEP 19 web seeds ({@code url-list}: where any client may also fetch it over HTTP), whom to
 * tell how far hashing is and each piece's hash ({@code onPiece}: what a checkpoint keeps), and the checkpoint of
 * an interrupted creation to go on from ({@code resume}, null: none).
 */
public record TorrentSpec(List<List<String>> trackerTiers, boolean privateFlag, int pieceLength, List<String> webSeeds,
                          TorrentCreator.Progress progress, TorrentCreator.PieceListener onPiece,
                          TorrentCreator.Checkpoint resume) {
    public TorrentSpec {
        trackerTiers = List.copyOf(trackerTiers);
        webSeeds = List.copyOf(webSeeds);
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(onPiece, "onPiece");
    }

    public TorrentSpec(List<List<String>> trackerTiers, boolean privateFlag, int pieceLength, List<String> webSeeds,
                       TorrentCreator.Progress progress) {
        this(trackerTiers, privateFlag, pieceLength, webSeeds, progress, (piece, sha1) -> { }, null);
    }

    /** Without web seeds. */
    public TorrentSpec(List<List<String>> trackerTiers, boolean privateFlag, int pieceLength,
                       TorrentCreator.Progress progress) {
        this(trackerTiers, privateFlag, pieceLength, List.of(), progress);
    }
}

package dev.freshet.control.directory;

/** How much of a swarm one member holds. {@code state} is the engine's (DOWNLOADING, SEEDING, PAUSED, ...). */
public record Holding(String infoHash, String memberId, int verifiedPieces, int pieceCount, String state) {
    public boolean complete() {
        return pieceCount > 0 && verifiedPieces == pieceCount;
    }
}

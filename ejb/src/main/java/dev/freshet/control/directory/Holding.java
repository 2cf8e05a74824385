package dev.freshet.control.directory;

/**
 * How much of a swarm one member holds. {@code state} is the engine's (DOWNLOADING, SEEDING, PAUSED, ...);
 * {@code wanIn} and {@code wanOut} the swarm's payload bytes the member took from and sent to peers outside its office
 * since it started (issue 12); {@code completedAt} when it had every piece (epoch millis, 0 while it has not).
 */
public record Holding(String infoHash, String memberId, int verifiedPieces, int pieceCount, String state, long wanIn,
                      long wanOut, long completedAt) {
    /** A holding with no WAN bytes and no completion time yet (a factory: JSON-B wants one constructor). */
    public static Holding of(String infoHash, String memberId, int verifiedPieces, int pieceCount, String state) {
        return new Holding(infoHash, memberId, verifiedPieces, pieceCount, state, 0, 0, 0);
    }

    public boolean complete() {
        return pieceCount > 0 && verifiedPieces == pieceCount;
    }
}

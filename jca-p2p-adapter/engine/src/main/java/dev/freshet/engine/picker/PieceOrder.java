package dev.freshet.engine.picker;

/**
 * Which piece not yet started the picker starts next, among those a peer has (anacrolix/torrent's
 * {@code pieceOrderLess}): {@link #compare} negative means {@code a} goes first. Ties keep the picker's random
 * permutation, so that peers do not all start the same piece. The one place to change piece order.
 */
public interface PieceOrder {
    /** {@code availability[p]}: how many connected peers have piece {@code p}. */
    int compare(int a, int b, int[] availability);

    /** Whether nothing can come before {@code piece}: the picker stops looking (a shortcut, never required). */
    default boolean unbeatable(int piece, int[] availability) {
        return false;
    }

    /** Rarest first (the default, BEP 3's advice): fewest connected peers have it. */
    PieceOrder RAREST_FIRST = new PieceOrder() {
        @Override
        public int compare(int a, int b, int[] availability) {
            return Integer.compare(availability[a], availability[b]);
        }

        @Override
        public boolean unbeatable(int piece, int[] availability) {
            return availability[piece] <= 1; // nothing rarer than a piece only this peer has
        }
    };

    /** In order, first piece first: for a reader that consumes the data while it arrives (streaming). */
    PieceOrder SEQUENTIAL = (a, b, availability) -> Integer.compare(a, b);
}

package dev.freshet.engine.picker;

/**
 * Which piece not yet started the picker starts next, among those a peer has (anacrolix/torrent's
 * {@code pieceOrderLess}): {@link #compare} negative means {@code a} goes first. Ties keep the picker's random
 * permutation, so that peers do not all start the same piece. The one place to change piece order.
 */
public interface PieceOrder {
    /** {@code availability[p]}: how many connected peers have piece {@code p}. */
    int compare(int a, int b, int[] availability);

    /** Rarest first (the default, BEP 3's advice): fewest connected peers have it. */
    PieceOrder RAREST_FIRST = (a, b, availability) -> Integer.compare(availability[a], availability[b]);

    /** In order, first piece first: for a reader that consumes the data while it arrives (streaming). */
    PieceOrder SEQUENTIAL = (a, b, availability) -> Integer.compare(a, b);
}

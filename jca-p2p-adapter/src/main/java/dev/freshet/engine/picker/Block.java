package dev.freshet.engine.picker;

/** Block {@code index} of piece {@code piece}: bytes {@code [index*16KiB, ...)} of that piece. */
public record Block(int piece, int index) {
    public Block {
        if (piece < 0 || index < 0) {
            throw new IllegalArgumentException("negative piece or block index");
        }
    }

    public int offset() {
        return index * dev.freshet.engine.storage.PieceLayout.BLOCK_SIZE;
    }
}

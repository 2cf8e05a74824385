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

    // written out: blocks are hash keys on the per-block path, and a record's generated methods go
    // through invokedynamic, which costs the JIT more than these two lines
    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && b.piece == piece && b.index == index;
    }

    @Override
    public int hashCode() {
        return piece * 1031 + index;
    }
}

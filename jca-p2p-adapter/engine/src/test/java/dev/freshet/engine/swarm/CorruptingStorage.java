package dev.freshet.engine.swarm;

import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.storage.PieceStorage;

import java.nio.ByteBuffer;

/** A storage that reads back every block with one byte flipped: a peer that serves bad data. */
final class CorruptingStorage implements PieceStorage {
    private final PieceStorage real;

    CorruptingStorage(PieceStorage real) {
        this.real = real;
    }

    @Override
    public PieceLayout layout() {
        return real.layout();
    }

    @Override
    public void write(int piece, int offset, ByteBuffer data) {
        real.write(piece, offset, data);
    }

    @Override
    public void read(int piece, int offset, ByteBuffer dst) {
        int start = dst.position();
        real.read(piece, offset, dst);
        // the resume check reads whole pieces through here too: corrupt only block-sized reads (uploads)
        if (dst.position() - start <= PieceLayout.BLOCK_SIZE) {
            dst.put(start, (byte) (dst.get(start) ^ 0x5a));
        }
    }

    @Override
    public boolean mayHave(int piece) {
        return real.mayHave(piece);
    }

    @Override
    public void flush() {
        real.flush();
    }

    @Override
    public void close() {
        real.close();
    }
}

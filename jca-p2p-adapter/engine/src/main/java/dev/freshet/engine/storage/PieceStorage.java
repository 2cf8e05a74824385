package dev.freshet.engine.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The port through which the engine stores and reads torrent data, by piece and offset. Backends are
 * named by mechanism ({@link FilePieceStorage}). Implementations must allow concurrent calls from
 * several threads (the network thread and the hashing pool).
 */
public interface PieceStorage extends AutoCloseable {

    PieceLayout layout();

    /** Writes all remaining bytes of {@code data} at {@code offset} in {@code piece}. */
    void write(int piece, int offset, ByteBuffer data);

    /** Fills {@code dst}'s remaining space with the bytes at {@code offset} in {@code piece}. */
    void read(int piece, int offset, ByteBuffer dst);

    /**
     * Sends up to {@code length} bytes at {@code offset} in {@code piece} straight to {@code target}
     * (zero-copy where the platform allows) and returns how many were sent, which may be fewer when
     * the target cannot take more now. Backends that cannot do this return {@code -1}; the caller then
     * reads into a buffer instead.
     */
    default long transferTo(int piece, int offset, int length, WritableByteChannel target) throws IOException {
        return -1;
    }

    /** Whether the bytes of piece {@code piece} could be on this storage (every file it touches exists and is long enough). */
    boolean mayHave(int piece);

    /**
     * Whether the bytes of {@code piece} may have changed after {@code epochMillis}: a file it touches was
     * modified later. Backends that cannot tell say no.
     */
    default boolean changedSince(int piece, long epochMillis) {
        return false;
    }

    /**
     * Called once every piece is verified: creates what no piece covers (empty files) and forces the
     * data to the device.
     */
    default void completed() {
        flush();
    }

    /**
     * Bytes still free for this storage's writes (the file system's usable space), or {@link Long#MAX_VALUE}
     * when the backend cannot tell. After a failed write it tells a full disk, which passes, from a broken one.
     */
    default long usableSpace() {
        return Long.MAX_VALUE;
    }

    /** Bytes in use on the file system this storage writes to, or 0 when the backend cannot tell (no watermark applies). */
    default long usedSpace() {
        return 0;
    }

    /** Forces written data to the device. */
    void flush();

    @Override
    void close();
}

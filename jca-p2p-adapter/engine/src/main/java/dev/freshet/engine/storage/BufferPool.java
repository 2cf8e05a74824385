package dev.freshet.engine.storage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A bounded pool of equally sized direct buffers. At most {@code maxBuffers} exist at once, so the
 * memory the engine uses for data in flight is fixed at start, whatever the size of the artifacts.
 * Thread-safe.
 */
public final class BufferPool {
    private final int bufferSize;
    private final int maxBuffers;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int created;

    public BufferPool(int bufferSize, int maxBuffers) {
        if (bufferSize <= 0 || maxBuffers <= 0) {
            throw new IllegalArgumentException("buffer size and count must be positive");
        }
        this.bufferSize = bufferSize;
        this.maxBuffers = maxBuffers;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer, or empty when all {@code maxBuffers} are in use. */
    public synchronized Optional<ByteBuffer> tryAcquire() {
        ByteBuffer b = free.pollFirst();
        if (b == null) {
            if (created >= maxBuffers) {
                return Optional.empty();
            }
            created++;
            b = ByteBuffer.allocateDirect(bufferSize);
        }
        b.clear();
        return Optional.of(b);
    }

    public synchronized void release(ByteBuffer buffer) {
        if (buffer.capacity() != bufferSize || !buffer.isDirect()) {
            throw new IllegalArgumentException("not a buffer of this pool");
        }
        free.addFirst(buffer);
    }

    public synchronized int inUse() {
        return created - free.size();
    }
}

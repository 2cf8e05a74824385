package dev.freshet.engine.swarm;

import dev.freshet.engine.picker.Block;

import java.util.function.Consumer;

/**
 * The blocks requested from one peer and not yet answered, in request order, with the time each was
 * sent. A ring of primitive longs: peers answer in request order almost always, so lookups stop at
 * the head; nothing is allocated per request. Owned by the network thread.
 */
final class OutstandingRequests {
    private static final long GONE = -1;
    private long[] keys = new long[64];
    private long[] sentAt = new long[64];
    private int head;
    private int tail; // next free slot
    private int live;

    private static long key(int piece, int index) {
        return ((long) piece << 32) | index;
    }

    int size() {
        return live;
    }

    boolean isEmpty() {
        return live == 0;
    }

    void add(Block block, long now) {
        if (tail - head == keys.length) {
            grow();
        }
        int i = tail++ & (keys.length - 1);
        keys[i] = key(block.piece(), block.index());
        sentAt[i] = now;
        live++;
    }

    boolean contains(Block block) {
        return find(key(block.piece(), block.index())) >= 0;
    }

    /** Removes the block if it is outstanding; true if it was. */
    boolean remove(int piece, int index) {
        int at = find(key(piece, index));
        if (at < 0) {
            return false;
        }
        keys[at & (keys.length - 1)] = GONE;
        live--;
        trimHead();
        return true;
    }

    boolean remove(Block block) {
        return remove(block.piece(), block.index());
    }

    /** Removes and hands over every request sent at or before {@code olderThan}, oldest first. */
    void expire(long olderThan, Consumer<Block> expired) {
        while (head != tail) {
            int i = head & (keys.length - 1);
            if (keys[i] != GONE) {
                if (sentAt[i] > olderThan) {
                    return;
                }
                expired.accept(block(keys[i]));
                keys[i] = GONE;
                live--;
            }
            head++;
        }
    }

    /** Hands over every outstanding block and empties the queue. */
    void drain(Consumer<Block> each) {
        for (int p = head; p != tail; p++) {
            long k = keys[p & (keys.length - 1)];
            if (k != GONE) {
                each.accept(block(k));
            }
        }
        head = 0;
        tail = 0;
        live = 0;
    }

    private int find(long key) {
        for (int p = head; p != tail; p++) {
            if (keys[p & (keys.length - 1)] == key) {
                return p;
            }
        }
        return -1;
    }

    private void trimHead() {
        while (head != tail && keys[head & (keys.length - 1)] == GONE) {
            head++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    private void grow() {
        int n = keys.length;
        long[] k = new long[n * 2];
        long[] t = new long[n * 2];
        for (int p = 0; p < n; p++) {
            k[p] = keys[(head + p) & (n - 1)];
            t[p] = sentAt[(head + p) & (n - 1)];
        }
        keys = k;
        sentAt = t;
        head = 0;
        tail = n;
    }

    private static Block block(long key) {
        return new Block((int) (key >>> 32), (int) key);
    }
}

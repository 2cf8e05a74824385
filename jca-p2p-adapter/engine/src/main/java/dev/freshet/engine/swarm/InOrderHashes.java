package dev.freshet.engine.swarm;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;

/**
 * SHA-1 of pieces computed while their blocks arrive, for pieces whose blocks arrive in order (the
 * usual case: one peer serves a piece's blocks in request order). This saves reading the piece back
 * from storage to verify it. A piece whose blocks arrive out of order is dropped from here and
 * verified by reading it back on the hashing pool. Owned by the network thread.
 */
final class InOrderHashes {
    private final Entry[] entries;
    private final ArrayDeque<MessageDigest> spare = new ArrayDeque<>();
    private final MessageDigest prototype;

    private static final class Entry {
        final MessageDigest digest;
        int nextBlock;

        Entry(MessageDigest digest) {
            this.digest = digest;
        }
    }

    InOrderHashes(int pieceCount) {
        this.entries = new Entry[pieceCount];
        try {
            this.prototype = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }

    /** Feeds block {@code index} of {@code piece} (its bytes: {@code data}'s remaining, not consumed). */
    void block(int piece, int index, ByteBuffer data) {
        Entry e = entries[piece];
        if (e == null) {
            if (index != 0) {
                return;
            }
            e = new Entry(digest());
            entries[piece] = e;
        }
        if (index != e.nextBlock) {
            drop(piece); // out of order: this piece is verified by reading it back
            return;
        }
        int position = data.position();
        e.digest.update(data);
        data.position(position);
        e.nextBlock++;
    }

    /** The piece's SHA-1 if all its {@code blocks} blocks were fed in order, else null. Forgets the piece. */
    byte[] finish(int piece, int blocks) {
        Entry e = entries[piece];
        if (e == null) {
            return null;
        }
        entries[piece] = null;
        if (e.nextBlock != blocks) {
            e.digest.reset();
            spare.push(e.digest);
            return null;
        }
        byte[] sha1 = e.digest.digest();
        spare.push(e.digest);
        return sha1;
    }

    void drop(int piece) {
        Entry e = entries[piece];
        if (e != null) {
            entries[piece] = null;
            e.digest.reset();
            spare.push(e.digest);
        }
    }

    private MessageDigest digest() {
        MessageDigest d = spare.poll();
        if (d != null) {
            return d;
        }
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-1 digests can be cloned", e);
        }
    }
}

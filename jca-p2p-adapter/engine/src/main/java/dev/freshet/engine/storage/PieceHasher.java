package dev.freshet.engine.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1 of a piece as it is stored, read in chunks through a caller-supplied buffer. */
public final class PieceHasher {
    private final MessageDigest sha1;
    private final byte[] chunk;

    /** {@code chunkSize}: the bytes read at once; a heap array of that size is kept by this hasher. */
    public PieceHasher(int chunkSize) {
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
        this.chunk = new byte[chunkSize];
    }

    public byte[] hash(PieceStorage storage, int piece) {
        int size = storage.layout().pieceSize(piece);
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        for (int offset = 0; offset < size; ) {
            int n = Math.min(chunk.length, size - offset);
            buffer.clear().limit(n);
            storage.read(piece, offset, buffer);
            sha1.update(chunk, 0, n);
            offset += n;
        }
        return sha1.digest();
    }
}

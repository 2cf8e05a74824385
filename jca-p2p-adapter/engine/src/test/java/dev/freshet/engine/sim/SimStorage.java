package dev.freshet.engine.sim;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.storage.PieceStorage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A disk for a simulated node that holds a torrent of generated content without keeping its bytes: a block written
 * with the content's bytes is remembered as present, one written with anything else is kept as written (so that
 * hashing reads it back and fails, as on a real disk). Reads return what a disk would hold. Hundreds of nodes can
 * then each hold hundreds of MiB in a few KiB, while every byte on the wire and every hash is real. Counts the
 * writes of each block (a block fetched twice is written once: the engine drops the late copy).
 */
public final class SimStorage implements PieceStorage {
    /** The torrent's content: a few random pieces, each piece stamped with its index so that every hash differs. */
    public static final class Content {
        private final PieceLayout layout;
        private final byte[][] pool;
        private final Metainfo metainfo;

        public Content(String name, long length, int pieceLength, long seed) {
            this.layout = new PieceLayout(pieceLength, new long[] {length});
            SplittableRandom random = new SplittableRandom(seed);
            this.pool = new byte[16][pieceLength];
            for (byte[] p : pool) {
                for (int i = 0; i < p.length; i++) {
                    p[i] = (byte) random.nextInt(256);
                }
            }
            byte[] hashes = new byte[20 * layout.pieceCount()];
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                ByteBuffer piece = ByteBuffer.allocate(pieceLength);
                for (int p = 0; p < layout.pieceCount(); p++) {
                    piece.clear().limit(layout.pieceSize(p));
                    fill(p, 0, piece);
                    piece.flip();
                    sha1.update(piece);
                    System.arraycopy(sha1.digest(), 0, hashes, 20 * p, 20);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            this.metainfo = Metainfo.of(Info.create(name, pieceLength, hashes,
                    List.of(new FileEntry(List.of(name), length)), false, false), List.of());
        }

        public Metainfo metainfo() {
            return metainfo;
        }

        public PieceLayout layout() {
            return layout;
        }

        /** The content at {@code offset} in {@code piece}, as much as {@code dst} has room for. */
        void fill(int piece, int offset, ByteBuffer dst) {
            byte[] p = pool[piece % pool.length];
            int n = dst.remaining();
            int start = dst.position();
            dst.put(p, offset, n);
            // the stamp: the piece index in the piece's first 8 bytes
            for (int i = Math.max(offset, 0); i < Math.min(8, offset + n); i++) {
                dst.put(start + i - offset, (byte) (piece >>> (8 * i)));
            }
        }

        boolean matches(int piece, int offset, ByteBuffer data) {
            byte[] p = pool[piece % pool.length];
            int n = data.remaining();
            int pos = data.position();
            int stamped = Math.max(0, Math.min(8, offset + n) - offset);
            for (int i = 0; i < stamped; i++) {
                if (data.get(pos + i) != (byte) (piece >>> (8 * (offset + i)))) {
                    return false;
                }
            }
            return data.slice(pos + stamped, n - stamped).mismatch(ByteBuffer.wrap(p, offset + stamped, n - stamped)) < 0;
        }
    }

    private final Content content;
    private final PieceLayout layout;
    /** Per piece, per block: 0 absent, 1 the content's bytes, 2 other bytes (in {@link #odd}). */
    private final byte[][] blocks;
    private final int[][] writes;
    private final Map<Long, byte[]> odd = new HashMap<>();

    /** {@code complete}: holds the whole content from the start (a seed). */
    public SimStorage(Content content, boolean complete) {
        this.content = content;
        this.layout = content.layout();
        this.blocks = new byte[layout.pieceCount()][];
        this.writes = new int[layout.pieceCount()][];
        for (int p = 0; p < blocks.length; p++) {
            blocks[p] = new byte[layout.blocksInPiece(p)];
            writes[p] = new int[layout.blocksInPiece(p)];
            if (complete) {
                Arrays.fill(blocks[p], (byte) 1);
            }
        }
    }

    /** Holds the content's pieces that {@code which} names from the start (found by the engine's first check). */
    public SimStorage preload(java.util.function.IntPredicate which) {
        for (int p = 0; p < blocks.length; p++) {
            if (which.test(p)) {
                Arrays.fill(blocks[p], (byte) 1);
            }
        }
        return this;
    }

    @Override
    public PieceLayout layout() {
        return layout;
    }

    @Override
    public void write(int piece, int offset, ByteBuffer data) {
        if (offset % PieceLayout.BLOCK_SIZE != 0 || data.remaining() != layout.blockSize(piece, offset / PieceLayout.BLOCK_SIZE)) {
            throw new IllegalArgumentException("the engine writes whole blocks; got " + data.remaining() + " at " + offset);
        }
        int b = offset / PieceLayout.BLOCK_SIZE;
        writes[piece][b]++;
        if (content.matches(piece, offset, data)) {
            blocks[piece][b] = 1;
            odd.remove(key(piece, b));
        } else {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            odd.put(key(piece, b), copy);
            blocks[piece][b] = 2;
        }
        data.position(data.limit());
    }

    @Override
    public void read(int piece, int offset, ByteBuffer dst) {
        while (dst.hasRemaining()) {
            int b = offset / PieceLayout.BLOCK_SIZE;
            int within = offset % PieceLayout.BLOCK_SIZE;
            int n = Math.min(dst.remaining(), layout.blockSize(piece, b) - within);
            ByteBuffer part = dst.slice(dst.position(), n);
            switch (blocks[piece][b]) {
                case 1 -> content.fill(piece, offset, part);
                case 2 -> part.put(odd.get(key(piece, b)), within, n);
                default -> part.put(new byte[n]);
            }
            dst.position(dst.position() + n);
            offset += n;
        }
    }

    @Override
    public boolean mayHave(int piece) {
        for (byte b : blocks[piece]) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether every block holds the content's bytes. */
    public boolean holdsTheContent() {
        for (byte[] piece : blocks) {
            for (byte b : piece) {
                if (b != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The most times one block was written. */
    public int maxWritesOfABlock() {
        int max = 0;
        for (int[] piece : writes) {
            for (int w : piece) {
                max = Math.max(max, w);
            }
        }
        return max;
    }

    private static long key(int piece, int block) {
        return ((long) piece << 32) | block;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}

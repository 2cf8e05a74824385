package dev.freshet.engine.storage;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Geometry of a torrent: where each piece and block lies in the concatenation of its files (pieces
 * run across file boundaries in file-list order, BEP 3). Immutable and thread-safe.
 */
public final class PieceLayout {
    /** The block size every client requests (BEP 3 practice); the last block of a piece may be shorter. */
    public static final int BLOCK_SIZE = 16 * 1024;

    private final int pieceLength;
    private final long totalLength;
    private final int pieceCount;
    private final long[] fileStarts;
    private final long[] fileLengths;

    public PieceLayout(Info info) {
        this(info.pieceLength(), info.files().stream().mapToLong(FileEntry::length).toArray());
    }

    public PieceLayout(int pieceLength, long[] fileLengths) {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        this.pieceLength = pieceLength;
        this.fileLengths = fileLengths.clone();
        this.fileStarts = new long[fileLengths.length];
        long offset = 0;
        for (int i = 0; i < fileLengths.length; i++) {
            fileStarts[i] = offset;
            offset += fileLengths[i];
        }
        this.totalLength = offset;
        this.pieceCount = (int) ((totalLength + pieceLength - 1) / pieceLength);
    }

    public int pieceLength() {
        return pieceLength;
    }

    public long totalLength() {
        return totalLength;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public int pieceSize(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
        return piece < pieceCount - 1 ? pieceLength : (int) (totalLength - (long) pieceLength * (pieceCount - 1));
    }

    public int blocksInPiece(int piece) {
        return (pieceSize(piece) + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    public int blockSize(int piece, int block) {
        return Math.min(BLOCK_SIZE, pieceSize(piece) - block * BLOCK_SIZE);
    }

    /** Whether {@code [offset, offset+length)} is a legal request within piece {@code piece}. */
    public boolean isValidRange(int piece, int offset, int length) {
        return piece >= 0 && piece < pieceCount() && offset >= 0 && length > 0
                && (long) offset + length <= pieceSize(piece);
    }

    public long torrentOffset(int piece, int offset) {
        return (long) piece * pieceLength + offset;
    }

    /** One contiguous run of bytes inside one file. */
    public record Segment(int file, long fileOffset, int length) {
    }

    /** The file segments covering {@code length} bytes from {@code offset} in piece {@code piece}. */
    public List<Segment> segments(int piece, int offset, int length) {
        long start = torrentOffset(piece, offset);
        List<Segment> out = new ArrayList<>(2);
        int file = fileAt(start);
        long pos = start;
        int remaining = length;
        while (remaining > 0) {
            while (file < fileStarts.length && pos >= fileStarts[file] + fileLengths[file]) {
                file++; // skips zero-length files too
            }
            if (file >= fileStarts.length) {
                throw new IndexOutOfBoundsException("range runs past the end of the torrent");
            }
            long inFile = pos - fileStarts[file];
            int n = (int) Math.min(remaining, fileLengths[file] - inFile);
            out.add(new Segment(file, inFile, n));
            pos += n;
            remaining -= n;
            file++;
        }
        return out;
    }

    /** The first piece that touches file {@code file}, and the last (inclusive); empty files touch none. */
    public int[] piecesOfFile(int file) {
        if (fileLengths[file] == 0) {
            return new int[0];
        }
        int first = (int) (fileStarts[file] / pieceLength);
        int last = (int) ((fileStarts[file] + fileLengths[file] - 1) / pieceLength);
        return new int[] {first, last};
    }

    public int fileCount() {
        return fileStarts.length;
    }

    public long fileLength(int file) {
        return fileLengths[file];
    }

    private int fileAt(long torrentOffset) {
        int i = Arrays.binarySearch(fileStarts, torrentOffset);
        if (i < 0) {
            i = -i - 2;
        }
        // several files may start at the same offset when some are empty: take the first
        while (i > 0 && fileStarts[i - 1] == fileStarts[i]) {
            i--;
        }
        return Math.max(i, 0);
    }
}

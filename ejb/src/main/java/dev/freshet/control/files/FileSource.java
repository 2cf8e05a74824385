package dev.freshet.control.files;

import dev.freshet.control.NodeEngine;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.SwarmState;
import dev.freshet.engine.swarm.SwarmStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Optional;

/**
 * One file of a swarm, read for an HTTP client: only bytes of pieces the engine has verified are ever read
 * ({@link #readable}), so a client never gets a byte that did not match its piece's hash. What is verified is asked
 * of the engine at most every {@link #REFRESH_NANOS}. Not thread-safe: one per response, used by one writer at a
 * time. {@link #close} releases the file.
 */
public final class FileSource implements AutoCloseable {
    static final long REFRESH_NANOS = 200_000_000L;

    private final NodeEngine engine;
    private final InfoHash infoHash;
    private final String name;
    private final String path;
    private final int fileIndex;
    private final long length;
    /** Where the file starts in the torrent's concatenation of files. */
    private final long start;
    private final int pieceLength;
    private final Path onDisk;
    private BitSet verified;
    private long refreshedAt;
    private String failure;
    private FileChannel channel;

    FileSource(NodeEngine engine, InfoHash infoHash, String path, int fileIndex, long length, long start,
               int pieceLength, Path onDisk, BitSet verified) {
        this.engine = engine;
        this.infoHash = infoHash;
        this.path = path;
        this.name = path.substring(path.lastIndexOf('/') + 1);
        this.fileIndex = fileIndex;
        this.length = length;
        this.start = start;
        this.pieceLength = pieceLength;
        this.onDisk = onDisk;
        this.verified = verified;
        this.refreshedAt = System.nanoTime();
    }

    /** The file's last path component (for {@code Content-Disposition}). */
    public String name() {
        return name;
    }

    /** The file's path inside the swarm, components joined with {@code /}. */
    public String path() {
        return path;
    }

    public long length() {
        return length;
    }

    /**
     * A strong validator: a swarm's content never changes under its info-hash, so the hash and the file's index name
     * the bytes exactly.
     */
    public String etag() {
        return "\"" + infoHash.hex() + "-" + fileIndex + "\"";
    }

    /** Whether every byte of the file is verified now (no need to wait for any). */
    public boolean complete() {
        return readable(0) >= length;
    }

    /**
     * How many bytes from {@code position} (in the file) can be read now: those up to the first piece not verified
     * yet. 0: wait (see {@link #failure}). Asks the engine again when its last answer is older than
     * {@link #REFRESH_NANOS} and did not cover {@code position}.
     */
    public long readable(long position) {
        if (position >= length) {
            return 0;
        }
        long n = contiguous(position);
        if (n == 0 && System.nanoTime() - refreshedAt >= REFRESH_NANOS) {
            refresh();
            n = contiguous(position);
        }
        return n;
    }

    private long contiguous(long position) {
        long at = start + position;
        long end = start + length;
        int piece = (int) (at / pieceLength);
        long reach = at;
        while (reach < end && verified.get(piece)) {
            reach = Math.min(end, (long) (piece + 1) * pieceLength);
            piece++;
        }
        return reach - at;
    }

    private void refresh() {
        refreshedAt = System.nanoTime();
        try {
            Optional<SwarmStatus> s = engine.call(c -> c.status(infoHash));
            if (s.isEmpty()) {
                failure = "the swarm was removed from this node";
            } else if (s.get().state() == SwarmState.ERROR) {
                failure = "the swarm failed on this node: " + s.get().error();
            } else {
                verified = s.get().verified();
            }
        } catch (RuntimeException e) {
            failure = "the engine does not answer: " + e.getMessage();
        }
    }

    /** Why no more bytes will come (the swarm was removed or failed), if so. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Reads verified bytes at {@code position} into {@code into} (at most {@link #readable}, which the caller checked);
     * answers how many.
     */
    public int read(long position, ByteBuffer into) throws IOException {
        long n = Math.min(into.remaining(), contiguous(position));
        if (n <= 0) {
            return 0;
        }
        if (channel == null) {
            try {
                channel = FileChannel.open(onDisk, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new IOException("the data of " + path + " is gone from this node's disk", e);
            }
        }
        ByteBuffer slice = into.slice(into.position(), (int) n);
        int total = 0;
        while (slice.hasRemaining()) {
            int r = channel.read(slice, position + total);
            if (r < 0) {
                throw new IOException("the data of " + path + " on this node's disk is shorter than verified");
            }
            total += r;
        }
        into.position(into.position() + total);
        return total;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
            channel = null;
        }
    }
}

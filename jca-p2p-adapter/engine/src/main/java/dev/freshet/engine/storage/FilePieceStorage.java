package dev.freshet.engine.storage;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.SafePath;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Torrent data in ordinary files under a save directory, through positional {@link FileChannel} I/O.
 * Files are opened lazily (read-only until the first write), created sparse on first write, and at most
 * {@link #MAX_OPEN_FILES} are open at once. Every access holds its file's handle for the call (a counted
 * use under this object's lock), so a file closed to make room is never closed under a thread using it:
 * the network thread and the hashing pool share one storage safely (the whole design: {@code package-info}).
 * Every path is checked by {@link SafePath} and, once its directory exists, against the real path of
 * the save directory, so that neither {@code ../} nor a planted symbolic link leads a write outside.
 */
public final class FilePieceStorage implements PieceStorage {
    /**
     * Most files one storage keeps open (issue 10, case 12: hashing a directory of 25,000 files held a
     * descriptor per file and ran the node out of them). Files are reopened on demand, least recently used
     * closed first.
     */
    public static final int MAX_OPEN_FILES = 64;
    private final PieceLayout layout;
    private final Path root;
    private final Path[] paths;
    /** Open files, least recently used first; bounded, so that a torrent of many files holds few descriptors. */
    private final java.util.LinkedHashMap<Integer, Handle> open = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private int retiring;
    private boolean closed;

    /** The storage of torrent {@code info} saved under {@code saveDirectory} (its files at {@code saveDirectory/<path>}). */
    public FilePieceStorage(Info info, Path saveDirectory) {
        this(new PieceLayout(info), saveDirectory, info.files().stream().map(FileEntry::path).toList());
    }

    /** Storage for files given by their paths (checked components) relative to {@code saveDirectory}. */
    public FilePieceStorage(PieceLayout layout, Path saveDirectory, List<List<String>> relativePaths) {
        if (relativePaths.size() != layout.fileCount()) {
            throw new IllegalArgumentException("one path per file of the layout");
        }
        this.layout = layout;
        this.root = saveDirectory.toAbsolutePath().normalize();
        this.paths = new Path[relativePaths.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = SafePath.resolve(root, relativePaths.get(i));
        }
    }

    @Override
    public PieceLayout layout() {
        return layout;
    }

    public Path root() {
        return root;
    }

    public Path path(int file) {
        return paths[file];
    }

    @Override
    public void write(int piece, int offset, ByteBuffer data) {
        int limit = data.limit();
        try {
            for (PieceLayout.Segment s : layout.segments(piece, offset, data.remaining())) {
                int from = data.position();
                onFile(s.file(), true, ch -> {
                    data.limit(from + s.length()).position(from); // from the segment's start again on a retry
                    long pos = s.fileOffset();
                    while (data.hasRemaining()) {
                        pos += ch.write(data, pos);
                    }
                    return null;
                });
                data.limit(limit);
            }
        } catch (IOException e) {
            throw new StorageException("writing piece " + piece + " at " + offset, e);
        } finally {
            data.limit(limit);
        }
    }

    @Override
    public void read(int piece, int offset, ByteBuffer dst) {
        int limit = dst.limit();
        try {
            for (PieceLayout.Segment s : layout.segments(piece, offset, dst.remaining())) {
                int from = dst.position();
                onFile(s.file(), false, ch -> {
                    dst.limit(from + s.length()).position(from);
                    long pos = s.fileOffset();
                    while (dst.hasRemaining()) {
                        int n = ch.read(dst, pos);
                        if (n < 0) {
                            throw new IOException("file " + paths[s.file()] + " is shorter than the torrent says");
                        }
                        pos += n;
                    }
                    return null;
                });
                dst.limit(limit);
            }
        } catch (IOException e) {
            throw new StorageException("reading piece " + piece + " at " + offset, e);
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    public long transferTo(int piece, int offset, int length, WritableByteChannel target) throws IOException {
        long sent = 0;
        for (PieceLayout.Segment s : layout.segments(piece, offset, length)) {
            // transferTo moves no buffer: a retry after a channel closed under it starts the segment over, and the
            // target has received nothing of it (an interrupted transfer reports no bytes)
            long n = onFile(s.file(), false, ch -> ch.transferTo(s.fileOffset(), s.length(), target));
            sent += n;
            if (n < s.length()) {
                break;
            }
        }
        return sent;
    }

    /** One positional operation on one open file. */
    private interface ChannelOp<T> {
        T apply(FileChannel channel) throws IOException;
    }

    /**
     * Runs {@code op} on file {@code file}'s shared channel. A file channel is interruptible: a thread interrupted
     * during I/O closes it for every thread that shares it. So a channel found closed, not by this storage, is
     * dropped from the table, and the call is tried once more on a fresh channel, except by the interrupted thread
     * itself, whose call fails as Java says it must. Positional writes of the same bytes at the same place are
     * idempotent, so the retry cannot leave a file different from one uninterrupted call.
     */
    private <T> T onFile(int file, boolean forWrite, ChannelOp<T> op) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Handle h = acquire(file, forWrite);
            try {
                return op.apply(h.channel);
            } catch (java.nio.channels.ClosedChannelException e) {
                discard(file, h);
                if (attempt > 0 || e instanceof java.nio.channels.ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            } finally {
                release(h);
            }
        }
    }

    /** Drops a handle whose channel was closed under it (see {@link #onFile}); its last user's release closes it. */
    private synchronized void discard(int file, Handle h) {
        if (!h.retired && open.get(file) == h) {
            open.remove(file);
            h.retired = true;
            retiring++;
        }
    }

    @Override
    public boolean mayHave(int piece) {
        return everySegment(piece, (s, a) -> a != null && a.isRegularFile() && a.size() >= s.fileOffset() + s.length());
    }

    @Override
    public boolean changedSince(int piece, long epochMillis) {
        return epochMillis != Long.MAX_VALUE
                && !everySegment(piece, (s, a) -> a != null && a.lastModifiedTime().toMillis() <= epochMillis);
    }

    /** Whether {@code test} holds for each segment of {@code piece} with its file's attributes (null: unreadable). */
    private boolean everySegment(int piece,
                                 java.util.function.BiPredicate<PieceLayout.Segment, java.nio.file.attribute.BasicFileAttributes> test) {
        for (PieceLayout.Segment s : layout.segments(piece, 0, layout.pieceSize(piece))) {
            java.nio.file.attribute.BasicFileAttributes a;
            try {
                a = Files.readAttributes(paths[s.file()], java.nio.file.attribute.BasicFileAttributes.class);
            } catch (IOException e) {
                a = null;
            }
            if (!test.test(s, a)) {
                return false;
            }
        }
        return true;
    }

    /** Files open right now (at most {@link #MAX_OPEN_FILES}, plus any that several threads use at once). */
    public synchronized int openFiles() {
        return open.size() + retiring;
    }

    /**
     * An open file and how many calls use it now. A handle evicted from the table while in use is closed by
     * the last user's {@link #release}, so no thread ever sees a channel closed under it.
     */
    private static final class Handle {
        final FileChannel channel;
        final boolean writable;
        int users;
        boolean retired;

        Handle(FileChannel channel, boolean writable) {
            this.channel = channel;
            this.writable = writable;
        }
    }

    private synchronized Handle acquire(int file, boolean forWrite) throws IOException {
        if (closed) {
            throw new IOException("storage is closed");
        }
        Handle h = open.get(file);
        if (h != null && (!forWrite || h.writable)) {
            h.users++;
            return h;
        }
        if (h != null) {
            open.remove(file); // read-only until now: reopened for writing below
            retire(h);
        }
        Path path = paths[file];
        FileChannel ch;
        if (forWrite) {
            Files.createDirectories(path.getParent());
            checkInsideRoot(path);
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            checkInsideRoot(path);
            ch = FileChannel.open(path, StandardOpenOption.READ);
        }
        h = new Handle(ch, forWrite);
        h.users = 1;
        open.put(file, h);
        if (open.size() > MAX_OPEN_FILES) {
            for (var it = open.entrySet().iterator(); it.hasNext() && open.size() > MAX_OPEN_FILES; ) {
                Handle oldest = it.next().getValue();
                if (oldest != h) {
                    it.remove();
                    retire(oldest);
                }
            }
        }
        return h;
    }

    private synchronized void release(Handle h) {
        h.users--;
        if (h.retired && h.users == 0) {
            retiring--;
            closeQuietly(h);
        }
    }

    /** Out of the table: closed now if unused, else by its last user. Written data is forced first. */
    private void retire(Handle h) {
        h.retired = true;
        if (h.users == 0) {
            closeQuietly(h);
        } else {
            retiring++;
        }
    }

    private void closeQuietly(Handle h) {
        try {
            if (h.writable) {
                h.channel.force(false); // flush() only sees open files: force before closing
            }
        } catch (IOException e) {
            System.getLogger(FilePieceStorage.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot force data to disk before closing a file: " + e.getMessage());
        } finally {
            try {
                h.channel.close();
            } catch (IOException ignored) {
                // nothing more to do with a file we stop using
            }
        }
    }

    /**
     * Refuses a path that leads outside the save directory. An I/O failure like any other, so that the swarm
     * stops with this error instead of retrying forever (a planted symbolic link once made it retry for good).
     */
    private void checkInsideRoot(Path path) throws IOException {
        Path realRoot = root.toRealPath();
        Path realParent = path.getParent().toRealPath();
        if (!realParent.startsWith(realRoot)) {
            throw new java.nio.file.FileSystemException(path.toString(), null,
                    "refused: leads outside the save directory " + root);
        }
        if (Files.isSymbolicLink(path)) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "refused: a symbolic link");
        }
    }

    /** The usable space of the file system that holds the save directory (of its nearest existing ancestor). */
    @Override
    public long usableSpace() {
        try {
            java.nio.file.FileStore store = store();
            return store == null ? Long.MAX_VALUE : store.getUsableSpace();
        } catch (IOException e) {
            return 0; // the file system does not even answer: as good as full for the caller
        }
    }

    @Override
    public long usedSpace() {
        try {
            java.nio.file.FileStore store = store();
            return store == null ? 0 : Math.max(0, store.getTotalSpace() - store.getUnallocatedSpace());
        } catch (IOException e) {
            return 0;
        }
    }

    /** The file system of the save directory (of its nearest existing ancestor); null when none exists. */
    private java.nio.file.FileStore store() throws IOException {
        java.nio.file.FileStore known = rootStore;
        if (known != null) {
            return known;
        }
        Path p = root;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return null;
        }
        java.nio.file.FileStore store = Files.getFileStore(p); // reads the mount table: once, not at every piece
        if (p.equals(root)) {
            rootStore = store;
        }
        return store;
    }

    /** The file system of the save directory once it exists (the disk limits ask after every verified piece). */
    private volatile java.nio.file.FileStore rootStore;

    @Override
    public void completed() {
        for (int i = 0; i < paths.length; i++) {
            if (layout.fileLength(i) == 0) {
                try {
                    release(acquire(i, true));
                } catch (IOException e) {
                    throw new StorageException("creating empty file " + paths[i], e);
                }
            }
        }
        flush();
    }

    /** Forces every open written file; outside the lock, so that other threads' reads and writes go on meanwhile. */
    @Override
    public void flush() {
        List<Handle> writable = new java.util.ArrayList<>();
        synchronized (this) {
            for (Handle h : open.values()) {
                if (h.writable) {
                    h.users++;
                    writable.add(h);
                }
            }
        }
        try {
            for (Handle h : writable) {
                try {
                    h.channel.force(false);
                } catch (IOException e) {
                    throw new StorageException("flushing " + root, e);
                }
            }
        } finally {
            writable.forEach(this::release);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Handle h : open.values()) {
            retire(h);
        }
        open.clear();
    }
}

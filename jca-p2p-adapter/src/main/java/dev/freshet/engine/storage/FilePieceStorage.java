package dev.freshet.engine.storage;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.MetainfoException;
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
 * Files are opened lazily (read-only until the first write) and created sparse on first write.
 * Every path is checked by {@link SafePath} and, once its directory exists, against the real path of
 * the save directory, so that neither {@code ../} nor a planted symbolic link leads a write outside.
 */
public final class FilePieceStorage implements PieceStorage {
    private final PieceLayout layout;
    private final Path root;
    private final Path[] paths;
    private final FileChannel[] channels;
    private final boolean[] writable;
    private volatile boolean closed;

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
        this.channels = new FileChannel[paths.length];
        this.writable = new boolean[paths.length];
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
        int length = data.remaining();
        int limit = data.limit();
        try {
            for (PieceLayout.Segment s : layout.segments(piece, offset, length)) {
                FileChannel ch = channel(s.file(), true);
                data.limit(data.position() + s.length());
                long pos = s.fileOffset();
                while (data.hasRemaining()) {
                    pos += ch.write(data, pos);
                }
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
        int length = dst.remaining();
        int limit = dst.limit();
        try {
            for (PieceLayout.Segment s : layout.segments(piece, offset, length)) {
                FileChannel ch = channel(s.file(), false);
                dst.limit(dst.position() + s.length());
                long pos = s.fileOffset();
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, pos);
                    if (n < 0) {
                        throw new IOException("file " + paths[s.file()] + " is shorter than the torrent says");
                    }
                    pos += n;
                }
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
            FileChannel ch = channel(s.file(), false);
            long n = ch.transferTo(s.fileOffset(), s.length(), target);
            sent += n;
            if (n < s.length()) {
                break;
            }
        }
        return sent;
    }

    @Override
    public boolean mayHave(int piece) {
        for (PieceLayout.Segment s : layout.segments(piece, 0, layout.pieceSize(piece))) {
            try {
                if (!Files.isRegularFile(paths[s.file()]) || Files.size(paths[s.file()]) < s.fileOffset() + s.length()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean changedSince(int piece, long epochMillis) {
        if (epochMillis == Long.MAX_VALUE) {
            return false;
        }
        for (PieceLayout.Segment s : layout.segments(piece, 0, layout.pieceSize(piece))) {
            try {
                if (Files.getLastModifiedTime(paths[s.file()]).toMillis() > epochMillis) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private FileChannel channel(int file, boolean forWrite) throws IOException {
        FileChannel ch = channels[file];
        if (ch != null && (!forWrite || writable[file])) {
            return ch;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("storage is closed");
            }
            ch = channels[file];
            if (ch != null && (!forWrite || writable[file])) {
                return ch;
            }
            Path path = paths[file];
            if (forWrite) {
                Files.createDirectories(path.getParent());
                checkInsideRoot(path);
                FileChannel rw = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                if (ch != null) {
                    ch.close();
                }
                channels[file] = rw;
                writable[file] = true;
                return rw;
            }
            checkInsideRoot(path);
            FileChannel ro = FileChannel.open(path, StandardOpenOption.READ);
            channels[file] = ro;
            return ro;
        }
    }

    private void checkInsideRoot(Path path) throws IOException {
        Path realRoot = root.toRealPath();
        Path realParent = path.getParent().toRealPath();
        if (!realParent.startsWith(realRoot)) {
            throw new MetainfoException("refused path: " + path + " leads outside the save directory " + root);
        }
        if (Files.isSymbolicLink(path)) {
            throw new MetainfoException("refused path: " + path + " is a symbolic link");
        }
    }

    @Override
    public void completed() {
        for (int i = 0; i < paths.length; i++) {
            if (layout.fileLength(i) == 0) {
                try {
                    channel(i, true);
                } catch (IOException e) {
                    throw new StorageException("creating empty file " + paths[i], e);
                }
            }
        }
        flush();
    }

    @Override
    public void flush() {
        for (int i = 0; i < channels.length; i++) {
            FileChannel ch = channels[i];
            if (ch != null && writable[i]) {
                try {
                    ch.force(false);
                } catch (IOException e) {
                    throw new StorageException("flushing " + paths[i], e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] != null) {
                try {
                    channels[i].close();
                } catch (IOException ignored) {
                    // closing a file we only read or already forced cannot lose data
                }
                channels[i] = null;
            }
        }
    }
}

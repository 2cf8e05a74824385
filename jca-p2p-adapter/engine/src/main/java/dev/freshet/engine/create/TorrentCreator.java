package dev.freshet.engine.create;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.MetainfoException;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.storage.FilePieceStorage;
import dev.freshet.engine.storage.ParallelHashing;
import dev.freshet.engine.storage.PieceLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Makes a v1 torrent of a file or a directory. A directory's regular files are taken in the order of
 * their relative paths, compared component by component; symbolic links are not followed.
 */
public final class TorrentCreator {
    public static final int MIN_AUTO_PIECE = 256 * 1024;
    public static final int MAX_AUTO_PIECE = 16 * 1024 * 1024;
    private static final int TARGET_MAX_PIECES = 2000;

    private int pieceLength; // 0 = automatic
    private boolean isPrivate;
    private List<List<String>> announceList = List.of();
    private List<String> urlList = List.of();
    private String comment;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Progress progress = (hashed, total) -> { };
    private PieceListener pieceListener = (piece, sha1) -> { };
    private Checkpoint resumeFrom;
    private Executor executor; // null: a private pool of `threads` threads for each create()

    /**
     * Runs the hashing tasks on {@code executor} (for example a container's managed threads) instead of
     * a pool of its own; at most {@link #threads(int)} tasks at a time.
     */
    public TorrentCreator executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** Piece length in bytes (a power of two of at least 16 KiB); 0 chooses one automatically. */
    public TorrentCreator pieceLength(int pieceLength) {
        if (pieceLength != 0 && (pieceLength < PieceLayout.BLOCK_SIZE || Integer.bitCount(pieceLength) != 1)) {
            throw new IllegalArgumentException("piece length must be a power of two of at least 16 KiB, or 0 for automatic");
        }
        this.pieceLength = pieceLength;
        return this;
    }

    public TorrentCreator privateFlag(boolean isPrivate) {
        this.isPrivate = isPrivate;
        return this;
    }

    public TorrentCreator announceList(List<List<String>> tiers) {
        this.announceList = List.copyOf(tiers);
        return this;
    }

    public TorrentCreator urlList(List<String> urls) {
        this.urlList = List.copyOf(urls);
        return this;
    }

    public TorrentCreator comment(String comment) {
        this.comment = comment;
        return this;
    }

    public TorrentCreator threads(int threads) {
        this.threads = Math.max(1, threads);
        return this;
    }

    /** How far hashing is: called after each piece, from hashing threads, with the count hashed so far. */
    @FunctionalInterface
    public interface Progress {
        void hashed(int piecesHashed, int pieceCount);
    }

    /** Receives each piece's SHA-1 as it is hashed (from hashing threads): what a checkpoint keeps. */
    @FunctionalInterface
    public interface PieceListener {
        void hashed(int piece, byte[] sha1);
    }

    /**
     * Pieces hashed before (a publication interrupted by a restart): their hashes ({@code 20 × pieceCount} bytes,
     * those of the pieces in {@code done} valid) at {@code pieceLength}. The caller vouches that the data did not
     * change since (same sizes, same modification times).
     */
    public record Checkpoint(int pieceLength, byte[] hashes, java.util.BitSet done) {
        public Checkpoint {
            hashes = hashes.clone();
            done = (java.util.BitSet) done.clone();
        }
    }

    public TorrentCreator pieceListener(PieceListener listener) {
        this.pieceListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Hashes only the pieces {@code checkpoint} lacks, if it fits the data's layout (else everything). */
    public TorrentCreator resume(Checkpoint checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    public TorrentCreator progress(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * The automatic piece size: the smallest power of two that gives at most 2000 pieces (so between
     * about 1000 and 2000), kept within 256 KiB..16 MiB.
     */
    public static int autoPieceLength(long totalLength) {
        long target = (totalLength + TARGET_MAX_PIECES - 1) / TARGET_MAX_PIECES;
        long p = MIN_AUTO_PIECE;
        while (p < target && p < MAX_AUTO_PIECE) {
            p <<= 1;
        }
        return (int) p;
    }

    public Metainfo create(Path source) throws IOException, InterruptedException {
        Path src = source.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(src)) {
            throw new MetainfoException(src + " is a symbolic link; publish its target instead");
        }
        String name = src.getFileName() == null ? "root" : src.getFileName().toString();
        List<FileEntry> files = new ArrayList<>();
        boolean multi = Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS);
        if (multi) {
            List<Path> found;
            try (Stream<Path> walk = Files.walk(src)) {
                found = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
            }
            List<List<String>> rel = new ArrayList<>();
            for (Path p : found) {
                List<String> components = new ArrayList<>();
                src.relativize(p).forEach(c -> components.add(c.toString()));
                rel.add(components);
            }
            rel.sort(TorrentCreator::compareComponents);
            for (List<String> r : rel) {
                files.add(new FileEntry(r, Files.size(src.resolve(String.join("/", r)))));
            }
            if (files.isEmpty()) {
                throw new MetainfoException(src + " holds no files");
            }
        } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
            files.add(new FileEntry(List.of(name), Files.size(src)));
        } else {
            throw new MetainfoException(src + " is neither a regular file nor a directory");
        }
        long total = files.stream().mapToLong(FileEntry::length).sum();
        if (total == 0) {
            throw new MetainfoException(src + " holds no data (every file is empty)");
        }
        int pl = pieceLength != 0 ? pieceLength : autoPieceLength(total);
        if (resumeFrom != null && resumeFrom.pieceLength() != pl) {
            throw new MetainfoException("the checkpoint was taken at piece length " + resumeFrom.pieceLength()
                    + ", this torrent has " + pl);
        }
        PieceLayout layout = new PieceLayout(pl, files.stream().mapToLong(FileEntry::length).toArray());
        Path base = multi ? src : src.getParent();
        byte[] hashes;
        try (FilePieceStorage storage = new FilePieceStorage(layout, base, files.stream().map(FileEntry::path).toList())) {
            hashes = hashAll(storage);
        }
        Info info = Info.create(name, pl, hashes, files, multi, isPrivate);
        Optional<String> announce = announceList.stream().flatMap(List::stream).findFirst();
        return new Metainfo(info, announce, announceList, urlList, Optional.ofNullable(comment),
                Optional.of("Freshet"), Optional.of(System.currentTimeMillis() / 1000));
    }

    private byte[] hashAll(FilePieceStorage storage) throws InterruptedException {
        int count = storage.layout().pieceCount();
        byte[] hashes = new byte[count * 20];
        java.util.BitSet known = new java.util.BitSet();
        if (resumeFrom != null && resumeFrom.hashes().length == hashes.length && resumeFrom.done().length() <= count) {
            known = (java.util.BitSet) resumeFrom.done().clone(); // read by the hashing tasks: none writes it
            System.arraycopy(resumeFrom.hashes(), 0, hashes, 0, hashes.length);
        }
        java.util.BitSet skip = known;
        java.util.concurrent.atomic.AtomicInteger hashed = new java.util.concurrent.atomic.AtomicInteger(known.cardinality());
        progress.hashed(hashed.get(), count);
        ExecutorService own = executor != null ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "freshet-create-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            ParallelHashing.hashAll(storage, own != null ? own : executor, threads, skip::get, (piece, sha1) -> {
                System.arraycopy(sha1, 0, hashes, piece * 20, 20);
                pieceListener.hashed(piece, sha1);
                progress.hashed(hashed.incrementAndGet(), count);
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("hashing failed", e.getCause());
        } finally {
            if (own != null) {
                own.shutdownNow();
            }
        }
        return hashes;
    }

    private static int compareComponents(List<String> a, List<String> b) {
        Comparator<String> c = Comparator.naturalOrder();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int r = c.compare(a.get(i), b.get(i));
            if (r != 0) {
                return r;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}

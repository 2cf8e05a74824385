package dev.freshet.engine.metainfo;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.BValue.BDictionary;
import dev.freshet.engine.bencode.BValue.BList;
import dev.freshet.engine.bencode.BValue.BString;
import dev.freshet.engine.bencode.Bencode;
import dev.freshet.engine.bencode.BencodeException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code info} dictionary of a v1 torrent: name, piece length, piece hashes, files, private flag.
 * Keeps the exact bytes it was read from; {@link #infoHash()} is their SHA-1.
 */
public final class Info {
    /** Largest piece we accept; real torrents use at most 16 MiB (libtorrent caps at 128 MiB). */
    public static final int MAX_PIECE_LENGTH = 128 << 20;
    private static final int HASH_LENGTH = 20;

    private final byte[] raw;
    private final InfoHash infoHash;
    private final String name;
    private final int pieceLength;
    private final byte[] pieceHashes;
    private final List<FileEntry> files;
    private final boolean multiFile;
    private final boolean isPrivate;
    private final long totalLength;
    private final int pieceCount;

    private Info(byte[] raw, String name, int pieceLength, byte[] pieceHashes, List<FileEntry> files,
                 boolean multiFile, boolean isPrivate) {
        this.raw = raw;
        this.infoHash = InfoHash.ofInfoBytes(raw);
        this.name = name;
        this.pieceLength = pieceLength;
        this.pieceHashes = pieceHashes;
        this.files = List.copyOf(files);
        this.multiFile = multiFile;
        this.isPrivate = isPrivate;
        this.totalLength = sumOfLengths(files);
        if (totalLength == 0) {
            throw new MetainfoException("the torrent holds no data (total length 0)");
        }
        long expectedPieces = (totalLength + pieceLength - 1) / pieceLength;
        if (expectedPieces > Integer.MAX_VALUE) {
            throw new MetainfoException(totalLength + " bytes in pieces of " + pieceLength + " are more pieces than a "
                    + "torrent can index");
        }
        if (pieceHashes.length % HASH_LENGTH != 0) {
            throw new MetainfoException("'pieces' is " + pieceHashes.length + " bytes, not a multiple of 20");
        }
        if (pieceHashes.length / HASH_LENGTH != expectedPieces) {
            throw new MetainfoException("'pieces' holds " + pieceHashes.length / HASH_LENGTH + " hashes but "
                    + totalLength + " bytes in pieces of " + pieceLength + " need " + expectedPieces);
        }
        this.pieceCount = (int) expectedPieces;
        checkNoConflictingPaths(files);
    }

    /** Reads an {@code info} dictionary from its exact bencoded bytes (for example from BEP 9 metadata). */
    public static Info parse(byte[] raw) {
        BValue value;
        try {
            value = Bencode.decode(raw);
        } catch (BencodeException e) {
            throw new MetainfoException("malformed info dictionary: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary dict)) {
            throw new MetainfoException("'info' is not a dictionary");
        }
        return fromDictionary(dict, raw.clone());
    }

    static Info fromDictionary(BDictionary dict, byte[] raw) {
        String name = requiredString(dict, "name");
        SafePath.checkComponent(name);
        long pieceLength = dict.integer("piece length")
                .orElseThrow(() -> new MetainfoException("'info' has no integer 'piece length'"));
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("'piece length' " + pieceLength + " is outside 1.." + MAX_PIECE_LENGTH);
        }
        byte[] pieces = dict.string("pieces")
                .orElseThrow(() -> new MetainfoException("'info' has no byte string 'pieces'")).bytes();
        boolean isPrivate = dict.integer("private").orElse(0L) == 1L;
        List<FileEntry> files = new ArrayList<>();
        boolean multi;
        if (dict.has("files")) {
            if (dict.has("length")) {
                throw new MetainfoException("'info' has both 'length' and 'files'");
            }
            multi = true;
            BList list = dict.list("files").orElseThrow(() -> new MetainfoException("'files' is not a list"));
            if (list.values().isEmpty()) {
                throw new MetainfoException("'files' is empty");
            }
            for (BValue v : list.values()) {
                if (!(v instanceof BDictionary f)) {
                    throw new MetainfoException("an entry of 'files' is not a dictionary");
                }
                long length = f.integer("length")
                        .orElseThrow(() -> new MetainfoException("a file has no integer 'length'"));
                BList pathList = f.list("path").orElseThrow(() -> new MetainfoException("a file has no list 'path'"));
                List<String> path = new ArrayList<>(pathList.values().size() + 1);
                path.add(name);
                for (BValue c : pathList.values()) {
                    if (!(c instanceof BString s)) {
                        throw new MetainfoException("a file path component is not a byte string");
                    }
                    path.add(s.utf8());
                }
                if (path.size() == 1) {
                    throw new MetainfoException("refused path: a file path has no components");
                }
                files.add(new FileEntry(path, length));
            }
        } else {
            multi = false;
            long length = dict.integer("length")
                    .orElseThrow(() -> new MetainfoException("'info' has neither 'length' nor 'files'"));
            files.add(new FileEntry(List.of(name), length));
        }
        return new Info(raw, name, (int) pieceLength, pieces, files, multi, isPrivate);
    }

    /** The files' total, refused when it does not fit in a long (a hostile torrent's lengths summed to -4). */
    private static long sumOfLengths(List<FileEntry> files) {
        long total = 0;
        for (FileEntry f : files) {
            try {
                total = Math.addExact(total, f.length());
            } catch (ArithmeticException e) {
                throw new MetainfoException("the files' lengths add up to more than " + Long.MAX_VALUE + " bytes");
            }
        }
        return total;
    }

    /**
     * Builds a new info dictionary. {@code files} paths are relative to the torrent's root, without the
     * name; a single-file torrent is given {@code multiFile=false} and one file whose path is its name.
     */
    public static Info create(String name, int pieceLength, byte[] pieceHashes, List<FileEntry> files,
                              boolean multiFile, boolean isPrivate) {
        Map<String, BValue> d = new LinkedHashMap<>();
        d.put("name", BValue.of(name));
        d.put("piece length", BValue.of(pieceLength));
        d.put("pieces", BValue.of(pieceHashes));
        if (isPrivate) {
            d.put("private", BValue.of(1));
        }
        List<FileEntry> rooted = new ArrayList<>();
        if (multiFile) {
            List<BValue> list = new ArrayList<>();
            for (FileEntry f : files) {
                List<BValue> path = f.path().stream().<BValue>map(BValue::of).toList();
                list.add(BDictionary.of(Map.of("length", BValue.of(f.length()), "path", new BList(path))));
                List<String> full = new ArrayList<>();
                full.add(name);
                full.addAll(f.path());
                rooted.add(new FileEntry(full, f.length()));
            }
            d.put("files", new BList(list));
        } else {
            if (files.size() != 1) {
                throw new IllegalArgumentException("a single-file torrent has exactly one file");
            }
            d.put("length", BValue.of(files.get(0).length()));
            rooted.add(new FileEntry(List.of(name), files.get(0).length()));
        }
        SafePath.checkComponent(name);
        byte[] raw = Bencode.encode(BDictionary.of(d));
        return new Info(raw, name, pieceLength, pieceHashes.clone(), rooted, multiFile, isPrivate);
    }

    private static void checkNoConflictingPaths(List<FileEntry> files) {
        Set<List<String>> filePaths = new HashSet<>();
        Set<List<String>> directories = new HashSet<>();
        for (FileEntry f : files) {
            if (!filePaths.add(f.path())) {
                throw new MetainfoException("refused path: " + f.displayPath() + " appears twice");
            }
            for (int i = 1; i < f.path().size(); i++) {
                directories.add(f.path().subList(0, i));
            }
        }
        for (List<String> p : filePaths) {
            if (directories.contains(p)) {
                throw new MetainfoException("refused path: " + String.join("/", p) + " is both a file and a directory");
            }
        }
    }

    private static String requiredString(BDictionary d, String key) {
        return d.string(key).orElseThrow(() -> new MetainfoException("'info' has no byte string '" + key + "'")).utf8();
    }

    public byte[] raw() {
        return raw.clone();
    }

    byte[] rawUnsafe() {
        return raw;
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    public String name() {
        return name;
    }

    public int pieceLength() {
        return pieceLength;
    }

    public int pieceCount() {
        return pieceCount;
    }

    /** Length of piece {@code index}; every piece but the last is {@link #pieceLength()} long. */
    public int pieceSize(int index) {
        if (index < 0 || index >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount);
        }
        if (index < pieceCount - 1) {
            return pieceLength;
        }
        return (int) (totalLength - (long) pieceLength * (pieceCount - 1));
    }

    public byte[] pieceHash(int index) {
        return java.util.Arrays.copyOfRange(pieceHashes, index * HASH_LENGTH, index * HASH_LENGTH + HASH_LENGTH);
    }

    /** Whether {@code digest} (20 bytes) is the expected hash of piece {@code index}. */
    public boolean pieceHashMatches(int index, byte[] digest) {
        return java.util.Arrays.equals(pieceHashes, index * HASH_LENGTH, index * HASH_LENGTH + HASH_LENGTH,
                digest, 0, HASH_LENGTH);
    }

    /** Files with paths rooted at the torrent (the first component is the torrent's name). */
    public List<FileEntry> files() {
        return files;
    }

    public boolean isMultiFile() {
        return multiFile;
    }

    public boolean isPrivate() {
        return isPrivate;
    }

    public long totalLength() {
        return totalLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Info other && infoHash.equals(other.infoHash);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode();
    }

    @Override
    public String toString() {
        return "Info[" + name + ", " + totalLength + " bytes, " + pieceCount + " pieces of " + pieceLength + ", " + infoHash + "]";
    }
}

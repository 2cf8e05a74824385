package dev.freshet.engine.metainfo;

import java.util.List;

/**
 * One file of a torrent: its path relative to the torrent's root (for a single-file torrent, just the
 * name) and its length in bytes. Paths are checked by {@link SafePath} on construction.
 */
public record FileEntry(List<String> path, long length) {
    public FileEntry {
        path = List.copyOf(path);
        SafePath.check(path);
        if (length < 0) {
            throw new MetainfoException("file " + String.join("/", path) + " has a negative length");
        }
    }

    public String displayPath() {
        return String.join("/", path);
    }
}

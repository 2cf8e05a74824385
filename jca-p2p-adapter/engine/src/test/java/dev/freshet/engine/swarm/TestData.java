package dev.freshet.engine.swarm;

import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Metainfo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Random artifacts on disk and byte-for-byte comparison of copies. */
final class TestData {
    private TestData() {
    }

    /** Writes files of the given sizes (pseudo-random content) under {@code root}; returns nothing, the paths are file0, sub/file1, ... */
    static void write(Path root, long seed, long... sizes) throws IOException {
        Random r = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < sizes.length; i++) {
            Path f = root.resolve(i % 2 == 1 ? "sub/file" + i : "file" + i);
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                long left = sizes[i];
                while (left > 0) {
                    r.nextBytes(chunk);
                    int n = (int) Math.min(left, chunk.length);
                    out.write(chunk, 0, n);
                    left -= n;
                }
            }
        }
    }

    static Metainfo torrentOf(Path source, int pieceLength) throws Exception {
        return new TorrentCreator().pieceLength(pieceLength).create(source);
    }

    static Map<String, String> sha256(Path saveDir, Metainfo m) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (FileEntry f : m.info().files()) {
            Path p = saveDir.resolve(String.join("/", f.path()));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                }
            }
            out.put(f.displayPath(), HexFormat.of().formatHex(sha.digest()));
        }
        return out;
    }

    static void assertIdentical(Path original, Path copy, Metainfo m) throws Exception {
        assertThat(sha256(copy, m)).isEqualTo(sha256(original, m));
    }
}

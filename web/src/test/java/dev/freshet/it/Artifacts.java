package dev.freshet.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test artifacts: directories of pseudo-random files, and their SHA-256 digests to compare copies. */
final class Artifacts {
    private Artifacts() {
    }

    /** Writes files {@code name/f0..} of the given sizes (odd sizes welcome) under {@code dir}. */
    static Path write(Path dir, String name, long seed, long... sizes) throws IOException {
        Path root = dir.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < sizes.length; i++) {
            Path f = root.resolve(i % 2 == 0 ? "f" + i + ".bin" : "sub/f" + i + ".bin");
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                for (long left = sizes[i]; left > 0; ) {
                    for (int j = 0; j < chunk.length; j += 8) {
                        long v = random.nextLong();
                        for (int k = 0; k < 8; k++) {
                            chunk[j + k] = (byte) (v >>> (k * 8));
                        }
                    }
                    int n = (int) Math.min(left, chunk.length);
                    out.write(chunk, 0, n);
                    left -= n;
                }
            }
        }
        return root;
    }

    /** Relative path → SHA-256 of every regular file under {@code root}. */
    static TreeMap<String, String> digests(Path root) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 20];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }
}

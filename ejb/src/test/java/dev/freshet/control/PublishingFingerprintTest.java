package dev.freshet.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/** A publication's checkpoint holds only while its data is what it was taken of. */
class PublishingFingerprintTest {
    @TempDir
    Path dir;

    @Test
    void anyChangeToTheFilesChangesTheFingerprint() throws Exception {
        Path root = Files.createDirectories(dir.resolve("release"));
        Files.write(root.resolve("a.bin"), new byte[1000]);
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("sub/b.bin"), new byte[10]);
        String first = Publishing.fingerprint(root);
        assertThat(Publishing.fingerprint(root)).as("stable").isEqualTo(first);

        Files.setLastModifiedTime(root.resolve("a.bin"), FileTime.fromMillis(1_000_000));
        String touched = Publishing.fingerprint(root);
        assertThat(touched).isNotEqualTo(first);

        Files.write(root.resolve("sub/b.bin"), new byte[11]);
        Files.setLastModifiedTime(root.resolve("sub/b.bin"), FileTime.fromMillis(1_000_000));
        String resized = Publishing.fingerprint(root);
        assertThat(resized).isNotEqualTo(touched);

        Files.write(root.resolve("c.bin"), new byte[0]);
        assertThat(Publishing.fingerprint(root)).as("a file added").isNotEqualTo(resized);
        // a single file is its own source
        assertThat(Publishing.fingerprint(root.resolve("a.bin"))).isNotEqualTo(Publishing.fingerprint(root));
    }
}

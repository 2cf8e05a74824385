package dev.freshet.engine.storage;

import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, case 12: hashing a directory of many small files kept a descriptor open per file until the node ran
 * out of them. The process's open descriptors are counted while hashing 3,000 files and while reading them back.
 */
class Issue10ManyFilesTest {
    @TempDir
    Path dir;

    private static int openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void case12_aDirectoryOfThousandsOfFilesIsHashedWithABoundedNumberOfOpenFiles() throws Exception {
        Path root = dir.resolve("many");
        for (int i = 0; i < 3000; i++) {
            Path f = root.resolve("d" + (i % 30)).resolve("f" + i);
            Files.createDirectories(f.getParent());
            Files.write(f, ("file " + i + " ").repeat(1 + i % 50).getBytes());
        }
        int before = openDescriptors();
        AtomicInteger most = new AtomicInteger();
        Metainfo m = new TorrentCreator().pieceLength(16 * 1024).threads(2)
                .progress((hashed, total) -> most.accumulateAndGet(openDescriptors(), Math::max)).create(root);
        assertThat(most.get() - before).as("descriptors held while hashing").isLessThan(FilePieceStorage.MAX_OPEN_FILES + 40);

        try (FilePieceStorage storage = new FilePieceStorage(m.info(), dir)) {
            ByteBuffer b = ByteBuffer.allocate(16 * 1024);
            for (int p = 0; p < storage.layout().pieceCount(); p++) {
                b.clear().limit(storage.layout().pieceSize(p));
                storage.read(p, 0, b);
                assertThat(storage.openFiles()).isLessThanOrEqualTo(FilePieceStorage.MAX_OPEN_FILES);
            }
            assertThat(openDescriptors() - before).isLessThan(FilePieceStorage.MAX_OPEN_FILES + 40);
        }
        assertThat(openDescriptors() - before).isLessThan(40);
    }
}

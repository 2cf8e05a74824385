package dev.freshet.engine.storage;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.MetainfoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilePieceStorageTest {
    @TempDir
    Path dir;

    private Info info(byte[] data, int pieceLength, long... fileLengths) throws Exception {
        PieceLayout layout = new PieceLayout(pieceLength, fileLengths);
        byte[] hashes = new byte[layout.pieceCount() * 20];
        for (int p = 0; p < layout.pieceCount(); p++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, p * pieceLength, layout.pieceSize(p));
            System.arraycopy(sha1.digest(), 0, hashes, p * 20, 20);
        }
        List<FileEntry> files = new java.util.ArrayList<>();
        for (int i = 0; i < fileLengths.length; i++) {
            files.add(new FileEntry(List.of("f" + i), fileLengths[i]));
        }
        return Info.create("t", pieceLength, hashes, files, true, false);
    }

    @Test
    void writesAndReadsAcrossFileBoundaries() throws Exception {
        byte[] data = new byte[100_000];
        new Random(2).nextBytes(data);
        Info info = info(data, 32768, 30_000, 0, 50_000, 20_000);
        try (FilePieceStorage s = new FilePieceStorage(info, dir)) {
            for (int p = info.pieceCount() - 1; p >= 0; p--) {
                s.write(p, 0, ByteBuffer.wrap(data, p * 32768, info.pieceSize(p)));
            }
            PieceHasher hasher = new PieceHasher(10_000);
            for (int p = 0; p < info.pieceCount(); p++) {
                assertThat(s.mayHave(p)).isTrue();
                assertThat(info.pieceHashMatches(p, hasher.hash(s, p))).isTrue();
            }
            ByteBuffer block = ByteBuffer.allocate(5000);
            s.read(0, 28_000, block);
            assertThat(block.array()).isEqualTo(java.util.Arrays.copyOfRange(data, 28_000, 33_000));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(s.transferTo(0, 28_000, 5000, Channels.newChannel(out))).isEqualTo(5000);
            assertThat(out.toByteArray()).isEqualTo(block.array());
            s.completed();
        }
        assertThat(Files.readAllBytes(dir.resolve("t/f0"))).isEqualTo(java.util.Arrays.copyOfRange(data, 0, 30_000));
        assertThat(Files.size(dir.resolve("t/f1"))).isZero();
        assertThat(Files.readAllBytes(dir.resolve("t/f3"))).isEqualTo(java.util.Arrays.copyOfRange(data, 80_000, 100_000));
    }

    /**
     * A file channel is interruptible: a thread interrupted in the middle of I/O closes it for every thread. The
     * storage's channels are shared (network loop, hashing pool, scrub), so one interrupted hashing thread (a pool
     * shut down with shutdownNow, a container cancelling work) must cost that thread its call, not every later
     * read and write of the torrent.
     */
    @Test
    void aThreadInterruptedDuringIoClosesNoChannelForTheOthers() throws Exception {
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        Info info = info(data, 32768, 60_000, 40_000);
        try (FilePieceStorage s = new FilePieceStorage(info, dir)) {
            for (int p = 0; p < info.pieceCount(); p++) {
                s.write(p, 0, ByteBuffer.wrap(data, p * 32768, info.pieceSize(p)));
            }
            for (boolean forWrite : new boolean[] {false, true}) {
                java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
                Thread interrupted = new Thread(() -> {
                    Thread.currentThread().interrupt();
                    try {
                        if (forWrite) {
                            s.write(1, 0, ByteBuffer.wrap(data, 32768, 32768));
                        } else {
                            s.read(1, 0, ByteBuffer.allocate(32768));
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                interrupted.start();
                interrupted.join();
                assertThat(failure.get()).as("the interrupted thread's own call fails").isInstanceOf(StorageException.class);

                ByteBuffer block = ByteBuffer.allocate(32768);
                s.read(1, 0, block);
                assertThat(block.array()).isEqualTo(java.util.Arrays.copyOfRange(data, 32768, 65536));
                s.write(2, 0, ByteBuffer.wrap(data, 65536, 32768));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(s.transferTo(1, 0, 32768, Channels.newChannel(out))).isEqualTo(32768);
                assertThat(out.toByteArray()).isEqualTo(block.array());
            }
        }
        assertThat(Files.readAllBytes(dir.resolve("t/f0"))).isEqualTo(java.util.Arrays.copyOfRange(data, 0, 60_000));
        assertThat(Files.readAllBytes(dir.resolve("t/f1"))).isEqualTo(java.util.Arrays.copyOfRange(data, 60_000, 100_000));
    }

    @Test
    void missingOrShortFilesAreNotClaimed() throws Exception {
        byte[] data = new byte[40_000];
        Info info = info(data, 16384, 20_000, 20_000);
        try (FilePieceStorage s = new FilePieceStorage(info, dir)) {
            assertThat(s.mayHave(0)).isFalse();
            s.write(0, 0, ByteBuffer.wrap(data, 0, 16384));
            assertThat(s.mayHave(0)).isTrue();
            assertThat(s.mayHave(1)).isFalse(); // spans into f1, which does not exist
        }
    }

    @Test
    void refusesToWriteThroughAPlantedSymlink() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path save = Files.createDirectories(dir.resolve("save"));
        Files.createSymbolicLink(save.resolve("t"), outside);
        byte[] data = new byte[100];
        Info info = info(data, 16384, 100);
        try (FilePieceStorage s = new FilePieceStorage(info, save)) {
            assertThatThrownBy(() -> s.write(0, 0, ByteBuffer.wrap(data)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("outside the save directory");
        }
        assertThat(outside.resolve("f0")).doesNotExist();
    }

    @Test
    void bufferPoolNeverHandsOutMoreThanItsBound() throws Exception {
        BufferPool pool = new BufferPool(1024, 2);
        ByteBuffer a = pool.tryAcquire().orElseThrow();
        ByteBuffer b = pool.tryAcquire().orElseThrow();
        assertThat(pool.tryAcquire()).isEmpty();
        assertThat(pool.inUse()).isEqualTo(2);
        pool.release(a);
        assertThat(pool.tryAcquire()).containsSame(a);
        assertThatThrownBy(() -> pool.release(ByteBuffer.allocate(1024))).hasMessageContaining("not a buffer of this pool");
        pool.release(b);
    }
}

package dev.freshet.engine.create;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorrentCreatorTest {
    @TempDir
    Path dir;

    @Test
    void automaticPieceLengthGivesAboutOneToTwoThousandPieces() {
        assertThat(TorrentCreator.autoPieceLength(1)).isEqualTo(256 * 1024);
        for (long size : new long[] {1L << 30, 5L << 30, 10L << 30, 20L << 30}) {
            long pieces = (size + TorrentCreator.autoPieceLength(size) - 1) / TorrentCreator.autoPieceLength(size);
            assertThat(pieces).as("pieces of %d", size).isBetween(1000L, 2000L);
        }
        assertThat(TorrentCreator.autoPieceLength(1L << 40)).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void hashesADirectoryInPathOrderAcrossFileBoundaries() throws Exception {
        Path root = dir.resolve("release");
        Files.createDirectories(root.resolve("b"));
        Random r = new Random(1);
        byte[][] contents = {new byte[50_000], new byte[1], new byte[0], new byte[100_003]};
        for (byte[] c : contents) {
            r.nextBytes(c);
        }
        Files.write(root.resolve("b/z.bin"), contents[0]);
        Files.write(root.resolve("a.txt"), contents[1]);
        Files.write(root.resolve("b/empty"), contents[2]);
        Files.write(root.resolve("c.dat"), contents[3]);

        Metainfo m = new TorrentCreator().pieceLength(32768).threads(3).create(root);

        assertThat(m.info().isMultiFile()).isTrue();
        assertThat(m.info().name()).isEqualTo("release");
        assertThat(m.info().files()).extracting(FileEntry::displayPath)
                .containsExactly("release/a.txt", "release/b/empty", "release/b/z.bin", "release/c.dat");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(contents[1]);
        all.write(contents[2]);
        all.write(contents[0]);
        all.write(contents[3]);
        byte[] data = all.toByteArray();
        assertThat(m.info().pieceCount()).isEqualTo((data.length + 32767) / 32768);
        for (int p = 0; p < m.info().pieceCount(); p++) {
            byte[] piece = Arrays.copyOfRange(data, p * 32768, Math.min(data.length, (p + 1) * 32768));
            assertThat(m.info().pieceHash(p)).as("piece %d", p).isEqualTo(MessageDigest.getInstance("SHA-1").digest(piece));
        }
        assertThat(Metainfo.parse(m.toBytes()).infoHash()).isEqualTo(m.infoHash());
    }

    @Test
    void aResumedCreationHashesOnlyWhatTheCheckpointLacksAndGivesTheSameTorrent() throws Exception {
        Path f = dir.resolve("vm.img");
        byte[] data = new byte[40 * 16384 + 123];
        new Random(7).nextBytes(data);
        Files.write(f, data);
        Metainfo whole = new TorrentCreator().pieceLength(16384).create(f);
        int count = whole.info().pieceCount();
        // a checkpoint of the even pieces, as a publication killed half-way would have kept
        byte[] hashes = new byte[count * 20];
        java.util.BitSet done = new java.util.BitSet();
        for (int p = 0; p < count; p += 2) {
            System.arraycopy(whole.info().pieceHash(p), 0, hashes, p * 20, 20);
            done.set(p);
        }
        java.util.Set<Integer> hashedNow = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int[] firstProgress = {-1};
        Metainfo resumed = new TorrentCreator().pieceLength(16384).threads(2)
                .resume(new TorrentCreator.Checkpoint(16384, hashes, done))
                .pieceListener((piece, sha1) -> hashedNow.add(piece))
                .progress((h, total) -> {
                    synchronized (firstProgress) {
                        if (firstProgress[0] < 0) {
                            firstProgress[0] = h;
                        }
                    }
                })
                .create(f);
        assertThat(resumed.infoHash()).isEqualTo(whole.infoHash());
        assertThat(hashedNow).hasSize(count - done.cardinality()).noneMatch(done::get);
        assertThat(firstProgress[0]).as("progress starts where the checkpoint was").isEqualTo(done.cardinality());
        // a checkpoint of another layout is refused, not mixed in
        assertThatThrownBy(() -> new TorrentCreator().pieceLength(32768)
                .resume(new TorrentCreator.Checkpoint(16384, hashes, done)).create(f))
                .hasMessageContaining("piece length");
    }

    @Test
    void singleFileTorrentIsNamedAfterTheFile() throws Exception {
        Path f = dir.resolve("image.iso");
        Files.write(f, new byte[300_000]);
        Metainfo m = new TorrentCreator().announceList(List.of(List.of("http://127.0.0.1:1/announce"))).privateFlag(true).create(f);
        assertThat(m.info().isMultiFile()).isFalse();
        assertThat(m.info().files()).containsExactly(new FileEntry(List.of("image.iso"), 300_000));
        assertThat(m.info().pieceLength()).isEqualTo(256 * 1024);
        assertThat(m.info().isPrivate()).isTrue();
        assertThat(m.announce()).contains("http://127.0.0.1:1/announce");
    }

    @Test
    void refusesEmptySourcesAndBadPieceLengths() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> new TorrentCreator().create(dir.resolve("empty"))).hasMessageContaining("holds no files");
        Files.write(dir.resolve("zero"), new byte[0]);
        assertThatThrownBy(() -> new TorrentCreator().create(dir.resolve("zero"))).hasMessageContaining("no data");
        assertThatThrownBy(() -> new TorrentCreator().pieceLength(1000)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new TorrentCreator().create(dir.resolve("missing"))).hasMessageContaining("neither");
    }
}

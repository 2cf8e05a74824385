package dev.freshet.control;

import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Hashing an upload as it streams in gives the torrent that hashing the stored file would. */
class StreamedPiecesTest {
    @TempDir
    Path dir;

    @Test
    void piecesHashedAsTheBytesArriveAreTheTorrentsPieces() throws Exception {
        byte[] data = new byte[3 * 262_144 + 4321];
        new Random(3).nextBytes(data);
        Path file = dir.resolve("build.tar");
        Files.write(file, data);
        Publishing.StreamedPieces pieces = new Publishing.StreamedPieces(TorrentCreator.autoPieceLength(data.length));
        // in uneven chunks, across piece boundaries
        for (int off = 0, n = 1; off < data.length; off += n, n = n * 3 % 70_001 + 1) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + n));
            pieces.update(chunk, chunk.length);
        }
        pieces.finish(data.length).store(dir.resolve(Publishing.StreamedPieces.FILE));

        TorrentCreator.Checkpoint streamed = Publishing.StreamedPieces.of(file, 0);
        assertThat(streamed).isNotNull();
        int[] reread = {0};
        Metainfo fromStream = new TorrentCreator().resume(streamed).pieceListener((p, h) -> reread[0]++).create(file);
        Metainfo hashed = new TorrentCreator().create(file);
        assertThat(fromStream.infoHash()).isEqualTo(hashed.infoHash());
        assertThat(reread[0]).as("pieces read again").isZero();

        // not for another piece length, nor for a file that changed size since
        assertThat(Publishing.StreamedPieces.of(file, 65_536)).isNull();
        Files.write(file, new byte[10], java.nio.file.StandardOpenOption.APPEND);
        assertThat(Publishing.StreamedPieces.of(file, 0)).isNull();
        Files.delete(dir.resolve(Publishing.StreamedPieces.FILE));
        assertThat(Publishing.StreamedPieces.of(file, 0)).isNull();
    }
}

package dev.freshet.engine.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelHashingTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    private FilePieceStorage storage(byte[] data, int pieceLength) throws Exception {
        Files.write(dir.resolve("f"), data);
        return new FilePieceStorage(new PieceLayout(pieceLength, new long[] {data.length}), dir, List.of(List.of("f")));
    }

    @Test
    void hashesEveryPieceNotSkippedOnSeveralTasks() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(6).nextBytes(data);
        Map<Integer, byte[]> got = new ConcurrentHashMap<>();
        try (FilePieceStorage s = storage(data, 65536)) {
            ParallelHashing.hashAll(s, pool, 3, p -> p % 5 == 0, got::put).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(got.keySet()).hasSize(16 - 4).noneMatch(p -> p % 5 == 0);
        for (Map.Entry<Integer, byte[]> e : got.entrySet()) {
            int from = e.getKey() * 65536;
            byte[] piece = Arrays.copyOfRange(data, from, Math.min(data.length, from + 65536));
            assertThat(e.getValue()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(piece));
        }
    }

    @Test
    void theFirstFailureCompletesTheFutureExceptionally() throws Exception {
        byte[] data = new byte[300_000];
        try (FilePieceStorage real = storage(data, 16384)) {
            PieceStorage failing = new PieceStorage() {
                @Override
                public PieceLayout layout() {
                    return real.layout();
                }

                @Override
                public void write(int piece, int offset, ByteBuffer d) {
                    real.write(piece, offset, d);
                }

                @Override
                public void read(int piece, int offset, ByteBuffer dst) {
                    if (piece == 7) {
                        throw new IllegalStateException("disk gone at piece 7");
                    }
                    real.read(piece, offset, dst);
                }

                @Override
                public boolean mayHave(int piece) {
                    return true;
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            assertThatThrownBy(() -> ParallelHashing.hashAll(failing, pool, 2, p -> false, (p, d) -> { }).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("disk gone at piece 7");
        } finally {
            pool.shutdownNow();
        }
    }
}

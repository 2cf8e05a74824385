package dev.freshet.engine.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

/**
 * Hashes the pieces of a storage on several tasks of an executor: each task takes the next piece
 * index until none is left. Used to create torrents and to check data already on disk.
 */
public final class ParallelHashing {
    private static final int MAX_CHUNK = 1 << 20;

    private ParallelHashing() {
    }

    /** Receives a piece's SHA-1, on a hashing task. */
    @FunctionalInterface
    public interface PieceDigest {
        void accept(int piece, byte[] sha1);
    }

    /**
     * Hashes every piece for which {@code skip} is false, on up to {@code workers} tasks of
     * {@code executor}, handing each digest to {@code onPiece} (from those tasks). The future completes
     * when all tasks are done, or exceptionally with the first failure, after which the others stop.
     */
    public static CompletableFuture<Void> hashAll(PieceStorage storage, Executor executor, int workers,
                                                  IntPredicate skip, PieceDigest onPiece) {
        int pieces = storage.layout().pieceCount();
        int tasks = Math.max(1, Math.min(workers, pieces));
        int chunk = Math.min(MAX_CHUNK, storage.layout().pieceLength());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(tasks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (int t = 0; t < tasks; t++) {
            executor.execute(() -> {
                try {
                    PieceHasher hasher = new PieceHasher(chunk);
                    int p;
                    while (failure.get() == null && (p = next.getAndIncrement()) < pieces) {
                        if (!skip.test(p)) {
                            onPiece.accept(p, hasher.hash(storage, p));
                        }
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (running.decrementAndGet() == 0) {
                        Throwable f = failure.get();
                        if (f == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(f);
                        }
                    }
                }
            });
        }
        return done;
    }
}

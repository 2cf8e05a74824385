package dev.freshet.control.node;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One round at a time of a reconciliation that runs on a timer and at once on news. A round asked for while one
 * runs is skipped, but news that came meanwhile is not lost: the running round runs once more right after itself,
 * since it may have read the directory before the news. (Before, that news waited for the next timed round: a new
 * swarm was fetched up to two seconds late, most often on cold nodes whose rounds are slow.) Bursts of news
 * coalesce into one queued round.
 */
final class CoalescedRounds {
    private final Runnable round;
    private final Executor executor;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean queued = new AtomicBoolean();
    /** News came that no round has begun to read since. */
    private final AtomicBoolean owed = new AtomicBoolean();

    CoalescedRounds(Runnable round, Executor executor) {
        this.round = round;
        this.executor = executor;
    }

    /** Runs a round on this thread unless one is running (then returns false at once). */
    boolean runNow() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        owed.set(false); // the round reads after this: it sees all news so far
        try {
            round.run();
        } finally {
            running.set(false);
        }
        if (owed.get()) {
            soon(); // news came while it ran; the round that news queued found this one running and returned
        }
        return true;
    }

    /** News: a round soon on the executor, at most one queued. */
    void soon() {
        owed.set(true);
        if (queued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    queued.set(false);
                    runNow();
                });
            } catch (RuntimeException shuttingDown) {
                queued.set(false); // the next timed round will do
            }
        }
    }
}

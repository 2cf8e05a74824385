package dev.freshet.control.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescedRoundsTest {
    /**
     * News that comes while a round runs is read by a round right after it, not by the next scheduled one: before,
     * the round news queued found the running one, returned, and a new swarm was fetched up to two seconds late.
     */
    @Test
    void newsDuringARoundRunsAnotherRoundRightAfterIt() throws Exception {
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            CountDownLatch inFirst = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch second = new CountDownLatch(1);
            AtomicInteger rounds = new AtomicInteger();
            CoalescedRounds r = new CoalescedRounds(() -> {
                if (rounds.incrementAndGet() == 1) {
                    inFirst.countDown();
                    await(release);
                } else {
                    second.countDown();
                }
            }, executor);
            Thread scheduled = new Thread(r::runNow); // the timer's round
            scheduled.start();
            assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();
            r.soon(); // news while it runs: the round it queues finds the first still running
            Thread.sleep(200);
            assertThat(rounds.get()).as("no second round while the first runs").isEqualTo(1);
            release.countDown();
            assertThat(second.await(10, TimeUnit.SECONDS)).as("a round after the first, for the news").isTrue();
            scheduled.join();
        } finally {
            executor.shutdownNow();
        }
    }

    /** Much news at once while nothing runs: one round or two, not one per piece of news. */
    @Test
    void newsInABurstCoalesces() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger rounds = new AtomicInteger();
            CountDownLatch gate = new CountDownLatch(1);
            executor.execute(() -> await(gate)); // the executor is busy: the news queues
            CoalescedRounds r = new CoalescedRounds(rounds::incrementAndGet, executor);
            for (int i = 0; i < 1000; i++) {
                r.soon();
            }
            gate.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(rounds.get()).isBetween(1, 2);
        } finally {
            executor.shutdownNow();
        }
    }

    /** A round already running: runNow says so and does not wait for it. */
    @Test
    void aRoundRunningMakesTheNextSkip() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        CoalescedRounds r = new CoalescedRounds(() -> {
            rounds.incrementAndGet();
            inFirst.countDown();
            await(release);
        }, Runnable::run);
        Thread first = new Thread(r::runNow);
        first.start();
        assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.runNow()).isFalse();
        release.countDown();
        first.join();
        assertThat(rounds.get()).isEqualTo(1);
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

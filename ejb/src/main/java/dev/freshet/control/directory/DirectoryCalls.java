package dev.freshet.control.directory;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Grid calls made while the node serves a request, with a bounded wait. Writes of this node's own entries (a
 * publication's swarm and holding, a release): the request waits for the grid a bounded time, never for a member that
 * does not answer. Such a member (across an office link that just went down, before the failure detector gives up
 * on it, or frozen) makes each grid call wait for Hazelcast's call timeout and then fail; what the node did on its
 * own (hashed the artifact, started seeding it, recorded it in its catalog) stands, and the reconciliation writes
 * the entry once the grid answers (a swarm running here and missing in the directory is published again, a holding
 * that differs is written again). So a write that
 * fails is reported and left to it, and one still waiting after {@link #WAIT_MILLIS} goes on in the background.
 */
@ApplicationScoped
public class DirectoryCalls {
    private static final System.Logger LOG = System.getLogger(DirectoryCalls.class.getName());
    /** How long a request waits for its directory writes: the grid answers in milliseconds when it answers. */
    static final long WAIT_MILLIS = 2000;

    @Resource
    ManagedExecutorService executor;

    /** Runs {@code write} ({@code what} names it in the log); answers whether it was done within the wait. */
    public boolean write(String what, Runnable write) {
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(write, executor);
        } catch (RuntimeException stopping) {
            return run(what, write); // no container thread to hand it to (the node stops): here, and reported
        }
        done.whenComplete((ok, failed) -> {
            if (failed != null) {
                LOG.log(System.Logger.Level.WARNING, "Freshet could not write " + what + " to the cluster's directory "
                        + "(the reconciliation writes it when the grid answers): " + failed.getMessage());
            }
        });
        try {
            done.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet: the grid has not taken {0} within {1} ms (a member does not "
                    + "answer); the node goes on, the write continues in the background", what, WAIT_MILLIS);
            return false;
        } catch (ExecutionException e) {
            return false; // reported above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code read} ({@code what} names it in the log) within the wait; empty when the grid did not answer in time (the
     * read goes on in the background and its answer is dropped) or failed.
     */
    public <T> java.util.Optional<T> read(String what, java.util.function.Supplier<T> read) {
        CompletableFuture<T> done;
        try {
            done = CompletableFuture.supplyAsync(read, executor);
        } catch (RuntimeException stopping) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.ofNullable(done.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet: the grid has not answered a read of {0} within {1} ms (a "
                    + "member does not answer); what this node read last stands in", what, WAIT_MILLIS);
            return java.util.Optional.empty();
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet could not read " + what + " from the grid: "
                    + brief(e.getCause()));
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Runs {@code task} on a container thread, the caller not waiting; false when there is none (the node stops). */
    public boolean aside(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RuntimeException stopping) {
            return false;
        }
    }

    /** A grid failure's kind and the start of its message, for a log line (Hazelcast's name a whole invocation). */
    static String brief(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return e.getClass().getSimpleName() + ": " + (m.length() > 160 ? m.substring(0, 160) + "…" : m);
    }

    private static boolean run(String what, Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet could not write " + what + " to the cluster's directory: "
                    + e.getMessage());
            return false;
        }
    }
}

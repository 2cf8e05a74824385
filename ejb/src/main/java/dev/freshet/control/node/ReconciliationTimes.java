package dev.freshet.control.node;

import jakarta.enterprise.context.ApplicationScoped;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * How long this node's reconciliation rounds take (issue 14: a round must stay short with thousands of swarms): the
 * last round and the longest since the node started, in wall time, and the CPU time of the thread that ran each
 * round (the target is in CPU per 1,000 swarms), for the metrics and the many-swarms benchmark.
 */
@ApplicationScoped
public class ReconciliationTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private volatile long lastNanos;
    private volatile long longestNanos;
    private long cpuNanos;
    private long rounds;

    /** The CPU time of the calling thread so far, in nanoseconds (-1 where the JVM does not measure it). */
    static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /**
     * A round that began at {@code startedNanos} ({@link System#nanoTime}) and {@code startedCpu} ({@link #threadCpu}
     * then; negative: not measured) ended now, on the thread that ran it.
     */
    synchronized void record(long startedNanos, long startedCpu) {
        long nanos = System.nanoTime() - startedNanos;
        lastNanos = nanos;
        if (nanos > longestNanos) {
            longestNanos = nanos;
        }
        if (startedCpu >= 0) {
            cpuNanos += threadCpu() - startedCpu;
            rounds++;
        }
    }

    /** The last round, in seconds (0 before the first). */
    public double lastSeconds() {
        return lastNanos / 1e9;
    }

    /** The longest round since the node started, in seconds. */
    public double longestSeconds() {
        return longestNanos / 1e9;
    }

    /** The CPU time of every round's thread since the node started, in seconds. */
    public synchronized double totalCpuSeconds() {
        return cpuNanos / 1e9;
    }

    /** The rounds whose CPU time was measured since the node started. */
    public synchronized long rounds() {
        return rounds;
    }
}

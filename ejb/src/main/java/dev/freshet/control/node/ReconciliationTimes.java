package dev.freshet.control.node;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How long this node's reconciliation rounds take (issue 14: a round must stay short with thousands of swarms): the
 * last round and the longest since the node started, for the metrics and the many-swarms benchmark.
 */
@ApplicationScoped
public class ReconciliationTimes {
    private volatile long lastNanos;
    private volatile long longestNanos;

    void record(long nanos) {
        lastNanos = nanos;
        if (nanos > longestNanos) {
            longestNanos = nanos;
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
}

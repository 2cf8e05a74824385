package dev.freshet.control;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per key (a client's address, a user name): {@code burst} tokens at once, then {@code perSecond}
 * a second. Keys are kept least recently used first, at most {@code maxKeys}, so memory is bounded whatever the
 * number of keys; a key forgotten that way starts again with a full bucket. Serves the sign-in throttle and the
 * tracker's announce rate. Thread-safe; {@code now} (nanoseconds) comes from the caller.
 */
public final class KeyedRate {
    private final double burst;
    private final double perSecond;
    private final Map<String, double[]> buckets; // key -> {tokens, at}

    public KeyedRate(double burst, double perSecond, int maxKeys) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Seconds until {@code key} has a token (0: it has one now). */
    public synchronized double secondsUntilToken(String key, long now) {
        double tokens = refill(key, now)[0];
        return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
    }

    /** Takes a token from {@code key}, down to none. */
    public synchronized void take(String key, long now) {
        double[] b = refill(key, now);
        b[0] = Math.max(0, b[0] - 1);
    }

    /** Takes a token when {@code key} has one and answers 0; else takes nothing and answers the seconds to wait. */
    public synchronized double tryTake(String key, long now) {
        double wait = secondsUntilToken(key, now);
        if (wait == 0) {
            take(key, now);
        }
        return wait;
    }

    /** {@code key} starts again with a full bucket. */
    public synchronized void forget(String key) {
        buckets.remove(key);
    }

    private double[] refill(String key, long now) {
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
        b[0] = Math.min(burst, b[0] + (now - (long) b[1]) / 1e9 * perSecond);
        b[1] = now;
        return b;
    }
}

package dev.freshet.control.tracker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often one address may announce to this node's tracker (issue 10, case 11): {@link #BURST} at once, then
 * {@link #PER_SECOND} a second, which is far more than any client needs (one announce per swarm a minute) and
 * far less than a flood. Addresses are kept least recently used first, at most {@link #MAX_TRACKED}: the memory
 * is bounded whatever the number of addresses. Thread-safe; {@code now} (nanoseconds) comes from the caller.
 */
final class AnnounceRate {
    static final double BURST = 100;
    static final double PER_SECOND = 20;
    static final int MAX_TRACKED = 10_000;

    private final Map<String, double[]> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    /** Takes a token for {@code address}; answers the seconds to wait when there is none (0: go ahead). */
    synchronized long take(String address, long now) {
        double[] b = buckets.computeIfAbsent(address, a -> new double[] {BURST, now});
        b[0] = Math.min(BURST, b[0] + (now - (long) b[1]) / 1e9 * PER_SECOND);
        b[1] = now;
        if (b[0] >= 1) {
            b[0] -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - b[0]) / PER_SECOND);
    }
}

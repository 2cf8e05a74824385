package dev.freshet.engine.swarm;

/**
 * Bytes per second, smoothed: a moving average over about five one-second samples. Owned by the
 * network thread.
 */
final class RateMeter {
    private long total;
    private long sinceSample;
    private double rate;

    void add(long bytes) {
        total += bytes;
        sinceSample += bytes;
    }

    /** Called once per {@code seconds}. */
    void sample(double seconds) {
        double instant = sinceSample / seconds;
        rate = rate == 0 ? instant : rate * 0.6 + instant * 0.4;
        if (rate < 1) {
            rate = 0; // the average only approaches zero: below a byte per second it is zero
        }
        sinceSample = 0;
    }

    long rate() {
        return (long) rate;
    }

    long total() {
        return total;
    }
}

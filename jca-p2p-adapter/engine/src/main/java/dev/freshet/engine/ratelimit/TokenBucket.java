package dev.freshet.engine.ratelimit;

/**
 * A token bucket of bytes. A rate of 0 means unlimited. The bucket holds at most a quarter of a
 * second of tokens, so a limit is kept closely even in short windows. {@link #setRate} may be called
 * from any thread; the other methods only from the thread that owns the bucket.
 */
public final class TokenBucket {
    /** Upper bound for "unlimited" grants, so callers can size buffers by it. */
    public static final long UNLIMITED = Long.MAX_VALUE / 4;

    private volatile long bytesPerSecond;
    private long tokens;
    private long lastRefillNanos;
    /** The bucket holds at most 1/{@code burstDivisor} of a second of tokens. */
    private final int burstDivisor;

    public TokenBucket(long bytesPerSecond, long nowNanos) {
        this(bytesPerSecond, nowNanos, 4);
    }

    /** A bucket that holds at most 1/{@code burstDivisor} of a second of tokens (and always one block). */
    public TokenBucket(long bytesPerSecond, long nowNanos, int burstDivisor) {
        if (burstDivisor < 1) {
            throw new IllegalArgumentException("a burst divisor is 1 or more");
        }
        this.burstDivisor = burstDivisor;
        setRate(bytesPerSecond);
        this.lastRefillNanos = nowNanos;
        this.tokens = burst(this.bytesPerSecond);
    }

    public void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit cannot be negative");
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    public long rate() {
        return bytesPerSecond;
    }

    public boolean isUnlimited() {
        return bytesPerSecond == 0;
    }

    private long burst(long rate) {
        return Math.max(16 * 1024 + 64, rate / burstDivisor);
    }

    /** Adds the tokens earned since the last refill (a time before it adds none and is not taken as the last). */
    public void refill(long nowNanos) {
        long rate = bytesPerSecond;
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed <= 0) {
            return;
        }
        lastRefillNanos = nowNanos;
        if (rate == 0) {
            return;
        }
        long add = (long) (elapsed / 1e9 * rate);
        tokens = Math.min(burst(rate), tokens + add);
    }

    /** Tokens that may be spent now. */
    public long available() {
        return isUnlimited() ? UNLIMITED : Math.max(0, tokens);
    }

    public void consume(long bytes) {
        if (!isUnlimited()) {
            tokens -= bytes;
        }
    }
}

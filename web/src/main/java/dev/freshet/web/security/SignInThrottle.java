package dev.freshet.web.security;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password guessing (issue 10, case 6). Each failed sign-in takes a token from two buckets: one for the
 * client's address (10 at once, then one every 2 s) and one for the user name (30 at once, then 5 a second,
 * which bounds guessing spread over many addresses). A request whose bucket is empty is refused before its
 * password is even compared. A success refills its address's bucket, and an address that signed in as a user
 * within the last day is not held to that user's bucket: an attacker hammering {@code admin} from elsewhere
 * cannot lock the real admin out of a machine it already uses; from a new address it waits at most the few
 * seconds after the attack stops. Pure and thread-safe; {@code nanoTime} comes from the caller.
 */
@ApplicationScoped
public class SignInThrottle {
    static final double ADDRESS_BURST = 10;
    static final double ADDRESS_PER_SECOND = 0.5;
    static final double USER_BURST = 30;
    static final double USER_PER_SECOND = 5;
    private static final long KNOWN_FOR_NANOS = 24L * 3600 * 1_000_000_000L;
    private static final int MAX_TRACKED = 10_000;

    private final Map<String, Bucket> addresses = lru();
    private final Map<String, Bucket> users = lru();
    private final Map<String, Long> known = lru(); // "user address" -> last success

    /** Seconds to wait before trying again, or 0 when this attempt may be checked. */
    public synchronized long retryAfter(String user, String address, long now) {
        double wait = bucket(addresses, address, ADDRESS_BURST, ADDRESS_PER_SECOND, now).secondsUntilToken(now);
        if (!isKnown(user, address, now)) {
            wait = Math.max(wait, bucket(users, user, USER_BURST, USER_PER_SECOND, now).secondsUntilToken(now));
        }
        return (long) Math.ceil(wait);
    }

    public synchronized void failed(String user, String address, long now) {
        bucket(addresses, address, ADDRESS_BURST, ADDRESS_PER_SECOND, now).take(now);
        if (!isKnown(user, address, now)) {
            bucket(users, user, USER_BURST, USER_PER_SECOND, now).take(now);
        }
    }

    public synchronized void succeeded(String user, String address, long now) {
        addresses.remove(address);
        known.put(user + " " + address, now);
    }

    private boolean isKnown(String user, String address, long now) {
        Long at = known.get(user + " " + address);
        return at != null && now - at < KNOWN_FOR_NANOS;
    }

    private static Bucket bucket(Map<String, Bucket> map, String key, double burst, double perSecond, long now) {
        return map.computeIfAbsent(key, k -> new Bucket(burst, perSecond, now));
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }

    private static final class Bucket {
        private final double burst;
        private final double perSecond;
        private double tokens;
        private long at;

        Bucket(double burst, double perSecond, long now) {
            this.burst = burst;
            this.perSecond = perSecond;
            this.tokens = burst;
            this.at = now;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
        }

        double secondsUntilToken(long now) {
            refill(now);
            return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
        }

        void take(long now) {
            refill(now);
            tokens = Math.max(0, tokens - 1);
        }
    }
}

package dev.freshet.web.security;

import dev.freshet.control.KeyedRate;
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

    private final KeyedRate addresses = new KeyedRate(ADDRESS_BURST, ADDRESS_PER_SECOND, MAX_TRACKED);
    private final KeyedRate users = new KeyedRate(USER_BURST, USER_PER_SECOND, MAX_TRACKED);
    private final Map<String, Long> known = new LinkedHashMap<>(64, 0.75f, true) { // "user address" -> last success
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    /** Seconds to wait before trying again, or 0 when this attempt may be checked. */
    public synchronized long retryAfter(String user, String address, long now) {
        double wait = addresses.secondsUntilToken(address, now);
        if (!isKnown(user, address, now)) {
            wait = Math.max(wait, users.secondsUntilToken(user, now));
        }
        return (long) Math.ceil(wait);
    }

    public synchronized void failed(String user, String address, long now) {
        addresses.take(address, now);
        if (!isKnown(user, address, now)) {
            users.take(user, now);
        }
    }

    /**
     * Seconds a refused API token from {@code address} waits before the next is checked (0: check it). Tokens cannot
     * be guessed, so a valid one is never held back; refused ones count against their address only (a flood of
     * them would fill the audit log).
     */
    public synchronized long tokenRetryAfter(String address, long now) {
        return (long) Math.ceil(addresses.secondsUntilToken(address, now));
    }

    public synchronized void tokenRefused(String address, long now) {
        addresses.take(address, now);
    }

    public synchronized void succeeded(String user, String address, long now) {
        addresses.forget(address);
        known.put(user + " " + address, now);
    }

    private boolean isKnown(String user, String address, long now) {
        Long at = known.get(user + " " + address);
        return at != null && now - at < KNOWN_FOR_NANOS;
    }
}

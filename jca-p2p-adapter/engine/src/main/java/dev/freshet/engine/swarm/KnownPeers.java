package dev.freshet.engine.swarm;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The addresses a swarm may dial, and when: a failed dial backs off (by default 1 s, 2 s, 4 s ... up to a minute,
 * see {@link Timeouts}), and a successful handshake resets the backoff. Owned by the network thread.
 */
final class KnownPeers {
    private final long firstRedial;
    private final long maxRedial;

    KnownPeers(Timeouts timeouts) {
        this.firstRedial = timeouts.firstRedial().toNanos();
        this.maxRedial = timeouts.maxRedial().toNanos();
    }

    private final Map<InetSocketAddress, Entry> peers = new HashMap<>();
    private final Set<InetSocketAddress> dialing = new HashSet<>();
    /** Peers found to be seeds: a seeding swarm does not dial them (two seeds have nothing to trade). */
    private final Set<InetSocketAddress> seeds = new HashSet<>();

    private static final class Entry {
        long nextDial;
        int failures;
    }

    void add(InetSocketAddress address) {
        peers.putIfAbsent(address, new Entry());
    }

    /** A peer that is connected to us already: dial it only if it goes away. */
    void addConnected(InetSocketAddress address, long now) {
        Entry e = new Entry();
        e.nextDial = now + maxRedial;
        peers.putIfAbsent(address, e);
    }

    void remove(InetSocketAddress address) {
        peers.remove(address);
        seeds.remove(address);
    }

    /** {@code address} is a seed (its connection was closed for it): not dialled while this swarm seeds too. */
    void seed(InetSocketAddress address) {
        if (address != null) {
            seeds.add(address);
        }
    }

    boolean isSeed(InetSocketAddress address) {
        return seeds.contains(address);
    }

    int dialing() {
        return dialing.size();
    }

    /**
     * Dials due peers for which {@code allowed} holds, while {@code room} says there is room for one
     * more connection; {@code dial} starts a connection and says whether it could.
     */
    void dialDue(long now, Predicate<InetSocketAddress> allowed, java.util.function.BooleanSupplier room,
                 Predicate<InetSocketAddress> dial) {
        for (Map.Entry<InetSocketAddress, Entry> e : peers.entrySet()) {
            if (!room.getAsBoolean()) {
                return;
            }
            InetSocketAddress a = e.getKey();
            Entry k = e.getValue();
            if (now >= k.nextDial && !dialing.contains(a) && allowed.test(a)) {
                k.nextDial = now + Math.min(maxRedial, firstRedial << Math.min(k.failures++, 6));
                if (dial.test(a)) {
                    dialing.add(a);
                }
            }
        }
    }

    void dialEnded(InetSocketAddress address) {
        dialing.remove(address);
    }

    void handshakeSucceeded(InetSocketAddress address) {
        dialing.remove(address);
        Entry e = peers.get(address);
        if (e != null) {
            e.failures = 0;
        }
    }

    /** After a pause: everyone may be dialled at once again. */
    void resetBackoff() {
        peers.values().forEach(e -> {
            e.nextDial = 0;
            e.failures = 0;
        });
    }
}

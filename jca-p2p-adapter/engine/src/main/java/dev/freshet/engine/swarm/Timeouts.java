package dev.freshet.engine.swarm;

import java.time.Duration;

/**
 * The engine's clocks in one place (libtorrent's {@code settings_pack} for timeouts): how long a connection may take
 * to handshake, a request to be answered, a peer to stay silent; when to send keep-alives, look for disk room,
 * re-dial a peer that failed, rotate upload slots. {@link #DEFAULTS} are those of the common clients.
 */
public record Timeouts(Duration handshake, Duration request, Duration keepAliveAfter, Duration idle,
                       Duration roomCheck, Duration firstRedial, Duration maxRedial, Duration chokeRound) {
    public Timeouts {
        for (Duration d : new Duration[] {handshake, request, keepAliveAfter, idle, roomCheck, firstRedial, maxRedial,
                chokeRound}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every timeout must be positive");
            }
        }
        if (chokeRound.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("the choke round is whole seconds (the engine's housekeeping is per second)");
        }
    }

    /**
     * A handshake within 10 s (libtorrent), a request answered within 60 s, a keep-alive after 60 s of our silence,
     * a peer silent for 180 s dropped (BEP 3 suggests 2 min), disk room checked every 5 s while stalled, a failed
     * peer re-dialled after 1 s doubling up to 60 s, upload slots rotated every 10 s.
     */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(180), Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(10));
}

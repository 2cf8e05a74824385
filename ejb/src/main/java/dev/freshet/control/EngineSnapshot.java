package dev.freshet.control;

import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The engine's statuses of all swarms, read at most once a second however many ask: the rate history, every open
 * event stream, the swarm list and the metrics share one read (the engine answers on its network thread, which has
 * better things to do). A change made through the control plane {@link #invalidate invalidates} it, so that the
 * next answer shows it. Reconciliation reads the engine itself: it must not act on a second-old picture.
 */
@ApplicationScoped
public class EngineSnapshot {
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    @Inject
    NodeEngine engine;

    private List<SwarmStatus> statuses = List.of();
    private long takenAt;
    private boolean fresh;

    /** Every swarm the engine runs, without per-piece detail; at most a second old. Throws when the engine is down. */
    public synchronized List<SwarmStatus> statuses() {
        long now = System.nanoTime();
        if (!fresh || now - takenAt > MAX_AGE_NANOS) {
            statuses = engine.call(c -> c.statuses());
            takenAt = now;
            fresh = true;
        }
        return statuses;
    }

    /**
     * The node's figures summed over the swarms the engine runs (the metrics): payload totals count this engine run;
     * received and sent by class of peer (a member of this node's office, of another office, anyone else); pieces
     * that failed their hash check, peers banned for it; verified bytes held (what the swarms' data takes on disk).
     */
    public record Totals(long swarms, long seeding, long peers, long downloadRate, long uploadRate, long downloaded,
                         long uploaded, long sameOfficeIn, long otherOfficeIn, long outsideIn, long sameOfficeOut,
                         long otherOfficeOut, long outsideOut, long piecesFailed, long peersBanned, long verifiedBytes) {
        static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@link Totals} of the current snapshot; none while the engine is down (the health check says why). */
    public Totals totals() {
        List<SwarmStatus> all;
        try {
            all = statuses();
        } catch (RuntimeException engineDown) {
            return Totals.NONE;
        }
        SwarmStatus.PeerClassBytes c = all.stream().map(SwarmStatus::byClass)
                .reduce(SwarmStatus.PeerClassBytes.NONE, SwarmStatus.PeerClassBytes::plus);
        return new Totals(all.size(), all.stream().filter(s -> s.state() == dev.freshet.engine.swarm.SwarmState.SEEDING).count(),
                all.stream().mapToLong(s -> s.peers().size()).sum(), all.stream().mapToLong(SwarmStatus::downloadRate).sum(),
                all.stream().mapToLong(SwarmStatus::uploadRate).sum(), all.stream().mapToLong(SwarmStatus::downloaded).sum(),
                all.stream().mapToLong(SwarmStatus::uploaded).sum(), c.sameOfficeIn(), c.otherOfficeIn(), c.outsideIn(),
                c.sameOfficeOut(), c.otherOfficeOut(), c.outsideOut(),
                all.stream().mapToLong(SwarmStatus::piecesFailed).sum(), all.stream().mapToLong(SwarmStatus::peersBanned).sum(),
                all.stream().mapToLong(SwarmStatus::verifiedBytes).sum());
    }

    /** The next {@link #statuses()} reads the engine again. */
    public synchronized void invalidate() {
        fresh = false;
    }
}

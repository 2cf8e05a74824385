package dev.freshet.control.offices;

import dev.freshet.control.NodeEngine;
import dev.freshet.control.NodeSettings;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.swarm.WanTotals;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Every second: reports what this node moved over its office's WAN link, and takes its share of the office's budget
 * from the reports of the office's nodes (see the package doc). Every ten seconds, the budgets in the grid and in
 * this node's catalog are made the same.
 */
@Singleton
@Startup
@DependsOn("NodeLifecycle")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class WanLeases {
    private static final System.Logger LOG = System.getLogger(WanLeases.class.getName());

    @Inject
    NodeEngine engine;
    @Inject
    NodeSettings settings;
    @Inject
    SwarmDirectory directory;
    @Inject
    OfficeGrid grid;
    @Inject
    OfficeBudgets budgets;

    private final AtomicBoolean running = new AtomicBoolean();
    private long lastAt;
    private long lastIn;
    private long lastOut;
    private int round;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void everySecond() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (round++ % 10 == 0) {
                budgets.reconcile();
            }
            lease();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Freshet could not renew its WAN share; trying again", e);
        } finally {
            running.set(false);
        }
    }

    private void lease() {
        long now = System.currentTimeMillis();
        WanTotals t = engine.call(c -> c.wanTotals());
        long elapsed = lastAt == 0 ? 0 : now - lastAt;
        long inRate = elapsed <= 0 ? 0 : (t.bytesIn() - lastIn) * 1000 / elapsed;
        long outRate = elapsed <= 0 ? 0 : (t.bytesOut() - lastOut) * 1000 / elapsed;
        lastAt = now;
        lastIn = t.bytesIn();
        lastOut = t.bytesOut();
        String me = directory.localMemberId();
        String office = settings.office();
        WanReport mine = new WanReport(me, office, inRate, outRate, t.inHeld(), t.outHeld(), t.bytesIn(),
                t.bytesOut(), t.inLimit(), t.outLimit(), now);
        grid.report(mine);
        List<WanReport> mates = new ArrayList<>();
        mates.add(mine);
        for (WanReport r : grid.reports()) {
            if (r.office().equals(office) && !r.memberId().equals(me)) {
                mates.add(r);
            }
        }
        OfficeBudget budget = budgets.of(office).orElse(new OfficeBudget(office, 0, 0, 0));
        java.time.Instant at = java.time.Instant.ofEpochMilli(now); // the schedule's window now, if it has one
        long in = next(t.inLimit(), budget.inLimitAt(at), me, mates, WanReport::inRate, WanReport::inHeld,
                WanReport::inShare);
        long out = next(t.outLimit(), budget.outLimitAt(at), me, mates, WanReport::outRate, WanReport::outHeld,
                WanReport::outShare);
        if (in != t.inLimit() || out != t.outLimit()) { // the engine's limits are the shares in force
            engine.run(c -> c.setWanLimits(in, out));
        }
    }

    /**
     * This node's share in force next, in one direction: its part of the office's budget divided over the office's
     * reports ({@code mates}, this node's first), grown only into what the others hold ({@link WanShares#step}).
     */
    private static long next(long inForce, long budget, String me, List<WanReport> mates,
                             ToLongFunction<WanReport> rate, Predicate<WanReport> held,
                             ToLongFunction<WanReport> share) {
        long part = WanShares.divide(budget, mates.stream()
                .map(r -> new WanShares.Demand(r.memberId(), rate.applyAsLong(r), held.test(r))).toList())
                .getOrDefault(me, 0L);
        return WanShares.step(inForce, part, budget,
                mates.subList(1, mates.size()).stream().map(share::applyAsLong).toList());
    }
}

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
    private long inShare;
    private long outShare;
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
        List<WanReport> others = mates.subList(1, mates.size());
        long in = WanShares.step(t.inLimit(), share(budget.inLimit(), me, mates.stream()
                        .map(r -> new WanShares.Demand(r.memberId(), r.inRate(), r.inHeld())).toList()),
                budget.inLimit(), others.stream().map(WanReport::inShare).toList());
        long out = WanShares.step(t.outLimit(), share(budget.outLimit(), me, mates.stream()
                        .map(r -> new WanShares.Demand(r.memberId(), r.outRate(), r.outHeld())).toList()),
                budget.outLimit(), others.stream().map(WanReport::outShare).toList());
        if (in != inShare || out != outShare) {
            engine.run(c -> c.setWanLimits(in, out));
            inShare = in;
            outShare = out;
        }
    }

    private static long share(long budget, String me, List<WanShares.Demand> demands) {
        return WanShares.divide(budget, demands).getOrDefault(me, 0L);
    }
}

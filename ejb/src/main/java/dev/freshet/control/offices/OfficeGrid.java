package dev.freshet.control.offices;

import com.hazelcast.core.HazelcastInstance;
import dev.freshet.control.grid.GridSeal;
import dev.freshet.control.grid.SealedMap;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The offices' entries in the grid, as plain strings (like the directory's): {@code freshet.office-budgets}, office
 * to budget, and {@code freshet.wan-reports}, member id to its last {@link WanReport}, each living
 * {@link #REPORT_TTL_SECONDS}: a node that stops reporting drops out of its office's division by itself.
 */
@ApplicationScoped
public class OfficeGrid {
    static final String BUDGETS = "freshet.office-budgets";
    static final String REPORTS = "freshet.wan-reports";
    static final int REPORT_TTL_SECONDS = 4;

    @Inject
    HazelcastInstance hazelcast;
    @Inject
    GridSeal seal;

    private int reportTtlSeconds = REPORT_TTL_SECONDS;
    private SealedMap budgets;
    private SealedMap reports;

    /** On {@code hazelcast}, outside a container (tests). */
    public static OfficeGrid on(HazelcastInstance hazelcast, GridSeal seal) {
        return on(hazelcast, seal, REPORT_TTL_SECONDS);
    }

    /**
     * As {@link #on(HazelcastInstance, GridSeal)}, with reports kept {@code reportTtlSeconds}: a test that reads a
     * report back must not depend on doing so within the product's few seconds on a loaded machine.
     */
    static OfficeGrid on(HazelcastInstance hazelcast, GridSeal seal, int reportTtlSeconds) {
        OfficeGrid g = new OfficeGrid();
        g.reportTtlSeconds = reportTtlSeconds;
        g.hazelcast = hazelcast;
        g.seal = seal;
        g.open();
        return g;
    }

    @PostConstruct
    void open() {
        budgets = new SealedMap(dev.freshet.control.grid.GridObjects.map(hazelcast, BUDGETS), seal);
        reports = new SealedMap(dev.freshet.control.grid.GridObjects.map(hazelcast, REPORTS), seal);
    }

    /**
     * Keeps {@code budget} unless the grid holds a newer one for its office; answers the one the grid holds after.
     * Concurrent writers settle on the newest (ties: the larger text).
     */
    public OfficeBudget offer(OfficeBudget budget) {
        String held = budgets.offerNewest(budget.office(), budget.text(), text -> {
            OfficeBudget b = OfficeBudget.parse(budget.office(), text);
            return b == null ? Long.MIN_VALUE : b.changedAt();
        });
        return held.equals(budget.text()) ? budget : OfficeBudget.parse(budget.office(), held);
    }

    public Optional<OfficeBudget> budget(String office) {
        return budgets.get(office).map(t -> OfficeBudget.parse(office, t));
    }

    /** Every office's budget, by office name; budgets set back to none included (they carry when that was). */
    public Map<String, OfficeBudget> budgets() {
        Map<String, OfficeBudget> out = new TreeMap<>();
        budgets.entries().forEach((office, text) -> {
            OfficeBudget b = OfficeBudget.parse(office, text);
            if (b != null) {
                out.put(office, b);
            }
        });
        return out;
    }

    public void report(WanReport report) {
        reports.set(report.memberId(), report.text(), reportTtlSeconds, TimeUnit.SECONDS);
    }

    /** The reports of the last few seconds; malformed entries are skipped. */
    public List<WanReport> reports() {
        List<WanReport> out = new ArrayList<>();
        for (var e : reports.entries().entrySet()) {
            WanReport r = WanReport.parse(e.getValue());
            if (r != null && e.getKey().equals(r.memberId())) {
                out.add(r);
            }
        }
        return out;
    }
}

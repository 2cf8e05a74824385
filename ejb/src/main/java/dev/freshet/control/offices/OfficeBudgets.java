package dev.freshet.control.offices;

import dev.freshet.control.catalog.Catalog;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Optional;

/**
 * Offices' WAN budgets, set once for the whole cluster and kept across restarts: the grid holds the live copy, and
 * every node keeps one in its own catalog ({@code office.budget.<office>}), so that a cluster started again, from
 * any of its nodes, has them back. Between two copies the newer wins.
 */
@ApplicationScoped
public class OfficeBudgets {
    private static final String PREFIX = "office.budget.";

    @Inject
    OfficeGrid grid;
    @EJB
    Catalog catalog;

    /** Sets (or, with both limits 0, lifts) the budget of {@code office}, without a schedule; answers it. */
    public OfficeBudget set(String office, long inLimit, long outLimit) {
        return set(office, inLimit, outLimit, BudgetSchedule.NONE);
    }

    /** Sets the budget of {@code office} with its weekly {@code schedule} (or none); answers it. */
    public OfficeBudget set(String office, long inLimit, long outLimit, BudgetSchedule schedule) {
        dev.freshet.control.Offices.requireValid(office);
        OfficeBudget b = new OfficeBudget(office, inLimit, outLimit, System.currentTimeMillis(),
                schedule.requireNoOverlap());
        OfficeBudget kept = grid.offer(b);
        keep(kept);
        return kept;
    }

    public Optional<OfficeBudget> of(String office) {
        return grid.budget(office).filter(b -> !b.none());
    }

    /** Budgets in force, by office. */
    public Map<String, OfficeBudget> all() {
        Map<String, OfficeBudget> all = grid.budgets();
        all.values().removeIf(OfficeBudget::none);
        return all;
    }

    /**
     * This node's copies and the grid's, made the same: what this node kept and the grid lacks (or holds older) goes
     * to the grid, and the grid's newer ones to the catalog. Called at start and every round.
     */
    public void reconcile() {
        catalog.settings(PREFIX).forEach((name, text) -> {
            OfficeBudget kept = OfficeBudget.parse(name.substring(PREFIX.length()), text);
            if (kept != null) {
                grid.offer(kept);
            }
        });
        grid.budgets().values().forEach(this::keep);
    }

    private void keep(OfficeBudget b) {
        String name = PREFIX + b.office();
        if (!catalog.setting(name).equals(Optional.of(b.text()))) {
            catalog.setting(name, b.text());
        }
    }
}

package dev.freshet.control.offices;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides an office's budget among its nodes (see the package doc). Each node asks for what it used last second
 * plus a quarter, and for the whole budget when its share held it back; the budget is filled from the smallest ask
 * up (max-min fairness: nobody gets more than it asks while another that asks more gets less), and what is left
 * once every ask is met is shared alike, so that a node can grow into it. The parts always add up to the budget.
 * Every node computes the same division from the same reports.
 */
public final class WanShares {
    /** The least a node asks for: enough to start (a few blocks a second). */
    static final long FLOOR = 64 * 1024;

    private WanShares() {
    }

    /** One node's last second: what it used, and whether its share held it back. */
    public record Demand(String memberId, long used, boolean held) {
    }

    /** Each node's part of {@code budget} bytes per second (0: no budget, every part 0 = unlimited). */
    public static Map<String, Long> divide(long budget, List<Demand> demands) {
        Map<String, Long> parts = new HashMap<>();
        if (demands.isEmpty()) {
            return parts;
        }
        if (budget <= 0) {
            demands.forEach(d -> parts.put(d.memberId(), 0L));
            return parts;
        }
        List<Demand> byAsk = new ArrayList<>(demands);
        byAsk.sort(Comparator.comparingLong((Demand d) -> ask(d, budget)).thenComparing(Demand::memberId));
        long left = budget;
        int n = byAsk.size();
        for (int i = 0; i < n; i++) {
            Demand d = byAsk.get(i);
            long fair = left / (n - i);
            long part = Math.min(ask(d, budget), fair);
            parts.put(d.memberId(), part);
            left -= part;
        }
        // what no one asked for, shared alike (the first ones take the remainder's odd bytes)
        long each = left / n;
        long odd = left % n;
        for (int i = 0; i < n; i++) {
            String id = byAsk.get(i).memberId();
            parts.merge(id, each + (i < odd ? 1 : 0), Long::sum);
        }
        return parts;
    }

    private static long ask(Demand d, long budget) {
        return d.held() ? budget : Math.max(FLOOR, d.used() + d.used() / 4);
    }
}

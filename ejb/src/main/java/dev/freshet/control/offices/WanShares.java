package dev.freshet.control.offices;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides an office's budget among its nodes (see the package doc). Each node asks for what it used last second
 * and a tenth, and for the whole budget when its share held it back; the budget is filled from the smallest ask
 * up (max-min fairness: nobody gets more than it asks while another that asks more gets less), and what is left
 * once every ask is met is shared alike, so that a node can grow into it. The parts add up to the budget, and every
 * node computes the same division from the same reports.
 *
 * <p>Why so little room above what a node used: room a node does not use is lost to the office (the parts add up to
 * the budget), while a node that needs more finds its share run dry within the second and asks for everything the
 * next. (Lending the unused room to the nodes held back was tried in the WAN lab: a node still ramping up looks
 * unused, and its room lent away let the office take 1.5 times its budget for seconds at the start.)
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

    /**
     * The share a node puts in force, from the one in force ({@code previous}) and its part of this round's division
     * ({@code part}); {@code others}: the shares the office's other nodes reported in force (0 = unlimited). Nodes
     * divide each on their own clock, so for up to a second some still hold last round's parts: a share goes down at
     * once, but up only into what the others do not hold. (Taking the new part at once let the office's shares add
     * up to 1.5 times its budget for a second: a node's larger part came before the other's smaller one, and the WAN
     * lab saw 58 Mbit/s into an office of 40.)
     */
    public static long step(long previous, long part, long budget, List<Long> others) {
        if (budget <= 0) {
            return 0;
        }
        if (previous == 0 || part <= previous) {
            return part;
        }
        long held = 0;
        for (long s : others) {
            held += s == 0 ? budget : s;
        }
        return Math.max(previous, Math.min(part, budget - held));
    }

    private static long ask(Demand d, long budget) {
        return d.held() ? budget : Math.max(FLOOR, d.used() + d.used() / 10);
    }
}

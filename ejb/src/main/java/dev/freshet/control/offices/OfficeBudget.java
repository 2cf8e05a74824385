package dev.freshet.control.offices;

import dev.freshet.control.InvalidRequestException;

/**
 * An office's WAN budget: the most its nodes together may take in from ({@code inLimit}) and send out to
 * ({@code outLimit}) peers outside the office, bytes per second, 0 for none, unless a window of its weekly
 * {@code schedule} covers the moment ({@link #inLimitAt}). {@code changedAt} (epoch millis) settles which of two
 * copies is newer when nodes that were apart meet again.
 */
public record OfficeBudget(String office, long inLimit, long outLimit, long changedAt, BudgetSchedule schedule) {
    /** A budget below this is not a WAN link but a typo: one 16 KiB block a second. */
    public static final long MIN = 16 * 1024;
    /** Above this (8 Tbit/s) a budget is no budget. */
    public static final long MAX = 1_000_000_000_000L;

    public OfficeBudget {
        check("inLimit", inLimit);
        check("outLimit", outLimit);
        schedule = schedule == null ? BudgetSchedule.NONE : schedule;
    }

    /** A budget without a schedule. */
    public OfficeBudget(String office, long inLimit, long outLimit, long changedAt) {
        this(office, inLimit, outLimit, changedAt, BudgetSchedule.NONE);
    }

    static void check(String name, long limit) {
        if (limit != 0 && (limit < MIN || limit > MAX)) {
            throw new InvalidRequestException("'" + name + "' must be 0 (no budget) or bytes per second from " + MIN
                    + " (16 KiB/s) to " + MAX + " (8 Tbit/s); got " + limit);
        }
    }

    public boolean none() {
        return inLimit == 0 && outLimit == 0 && schedule.isEmpty();
    }

    /** The cap on what comes in at {@code instant}: the schedule's window then, else the budget's own. */
    public long inLimitAt(java.time.Instant instant) {
        return schedule.at(instant).map(BudgetSchedule.Window::inLimit).orElse(inLimit);
    }

    /** The cap on what goes out at {@code instant}: the schedule's window then, else the budget's own. */
    public long outLimitAt(java.time.Instant instant) {
        return schedule.at(instant).map(BudgetSchedule.Window::outLimit).orElse(outLimit);
    }

    /** How far {@link #inBoundMillis} follows a schedule before it gives up: two weeks of minutes. */
    private static final int BOUND_MINUTES = 14 * 24 * 60;

    /**
     * The least time {@code bytes} take to come into the office from {@code start} under its in-caps, following the
     * schedule minute by minute (a window's bounds are whole minutes in the office's zone); empty when a moment on the
     * way has no cap (the link's own speed decides, not known here) or the caps would take over two weeks.
     */
    public java.util.OptionalLong inBoundMillis(java.time.Instant start, long bytes) {
        if (schedule.isEmpty()) {
            return inLimit > 0 ? java.util.OptionalLong.of((long) Math.ceil(bytes * 1000.0 / inLimit))
                    : java.util.OptionalLong.empty();
        }
        long t0 = start.toEpochMilli();
        long t = t0;
        double left = bytes;
        for (int minute = 0; minute <= BOUND_MINUTES; minute++) {
            long cap = inLimitAt(java.time.Instant.ofEpochMilli(t));
            if (cap <= 0) {
                return java.util.OptionalLong.empty();
            }
            long next = (Math.floorDiv(t, 60_000L) + 1) * 60_000L; // caps change on whole minutes only
            double step = cap * (next - t) / 1000.0;
            if (step >= left) {
                return java.util.OptionalLong.of(t - t0 + (long) Math.ceil(left * 1000.0 / cap));
            }
            left -= step;
            t = next;
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * Its form in the grid and the catalog: {@code "in out changedAt"}, then the schedule's when it has one (nodes of
     * an older version read the first three and ignore the rest).
     */
    String text() {
        String base = inLimit + " " + outLimit + " " + changedAt;
        return schedule.isEmpty() ? base : base + " " + schedule.text();
    }

    /** The budget of {@code office} read back from {@link #text}; null if the text is not one. */
    static OfficeBudget parse(String office, String text) {
        try {
            String[] f = text.split(" ");
            BudgetSchedule schedule = f.length >= 5 ? BudgetSchedule.parse(f[3], f[4]) : BudgetSchedule.NONE;
            return new OfficeBudget(office, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), schedule);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

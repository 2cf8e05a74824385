package dev.freshet.control.offices;

import dev.freshet.control.InvalidRequestException;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A week of WAN caps for an office, in the office's time zone (issue 12: business hours capped, nights and weekends
 * free, say): windows of days and times, each with its own limits. Outside every window the budget's own limits
 * apply. A window whose end is not after its start runs past midnight into the next day ({@code FRI 22:00-06:00}
 * covers Friday night until Saturday 06:00). A schedule set now may not cover a moment twice ({@link
 * #requireNoOverlap}: an operator reads one cap per moment off it); one stored before that was refused still reads,
 * the first window that covers a moment setting its caps.
 */
public record BudgetSchedule(ZoneId zone, List<Window> windows) {
    /** No schedule: the budget's own limits at every moment. */
    public static final BudgetSchedule NONE = new BudgetSchedule(ZoneId.of("UTC"), List.of());
    /** More windows than a week needs is a mistake, and every lease round walks them. */
    public static final int MAX_WINDOWS = 64;

    public BudgetSchedule {
        if (zone == null) {
            throw new InvalidRequestException("a schedule needs a time zone");
        }
        windows = List.copyOf(windows);
        if (windows.size() > MAX_WINDOWS) {
            throw new InvalidRequestException("a schedule has at most " + MAX_WINDOWS + " windows; got " + windows.size());
        }
    }

    /**
     * Days {@code days} (see {@link #days}) from {@code from} to {@code to} (HH:mm, local to the office; {@code to} may
     * be 24:00, the end of the day), with their own limits (bytes per second, 0 for no cap that way).
     */
    public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean toEndOfDay, long inLimit,
                         long outLimit) {
        public Window {
            days = Set.copyOf(days);
            if (days.isEmpty()) {
                throw new InvalidRequestException("a schedule window needs at least one day");
            }
            if (!toEndOfDay && from.equals(to)) {
                throw new InvalidRequestException("a schedule window ends where it starts (" + from + "): give 00:00-24:00"
                        + " for whole days");
            }
            OfficeBudget.check("inLimit", inLimit);
            OfficeBudget.check("outLimit", outLimit);
        }

        /** {@code days}, {@code from} and {@code to} as the API writes them ("MON-FRI", "08:00", "18:00"). */
        public static Window of(String days, String from, String to, long inLimit, long outLimit) {
            boolean endOfDay = "24:00".equals(to);
            return new Window(BudgetSchedule.days(days), time("from", from), endOfDay ? LocalTime.MIDNIGHT : time("to", to), endOfDay,
                    inLimit, outLimit);
        }

        boolean covers(LocalDateTime t) {
            LocalTime at = t.toLocalTime();
            DayOfWeek day = t.getDayOfWeek();
            if (toEndOfDay || from.isBefore(to)) {
                return days.contains(day) && !at.isBefore(from) && (toEndOfDay || at.isBefore(to));
            }
            // past midnight: the evening of a listed day, or the morning after it
            return days.contains(day) && !at.isBefore(from) || days.contains(day.minus(1)) && at.isBefore(to);
        }

        public String daysText() {
            return days.stream().sorted().map(BudgetSchedule::shortName).collect(Collectors.joining(","));
        }

        public String fromText() {
            return from.toString();
        }

        public String toText() {
            return toEndOfDay ? "24:00" : to.toString();
        }

        /** The minutes of the week it covers, Monday 00:00 being 0 (one past midnight wraps into the next day). */
        java.util.BitSet minutesOfWeek() {
            java.util.BitSet out = new java.util.BitSet(WEEK_MINUTES);
            int start = from.getHour() * 60 + from.getMinute();
            int end = toEndOfDay ? 24 * 60 : to.getHour() * 60 + to.getMinute();
            int length = end > start ? end - start : 24 * 60 - start + end;
            for (DayOfWeek d : days) {
                int at = (d.getValue() - 1) * 24 * 60 + start;
                for (int m = 0; m < length; m++) {
                    out.set((at + m) % WEEK_MINUTES);
                }
            }
            return out;
        }

        /** As the API writes it: "MON,TUE 08:00-18:00". */
        String describe() {
            return daysText() + " " + fromText() + "-" + toText();
        }

        String text() {
            return daysText() + "@" + fromText() + "-" + toText() + "=" + inLimit + "/" + outLimit;
        }

        static Window parse(String text) {
            int at = text.indexOf('@');
            int dash = text.indexOf('-', at);
            int eq = text.indexOf('=', dash);
            int slash = text.indexOf('/', eq);
            return of(text.substring(0, at), text.substring(at + 1, dash), text.substring(dash + 1, eq),
                    Long.parseLong(text.substring(eq + 1, slash)), Long.parseLong(text.substring(slash + 1)));
        }
    }

    private static final int WEEK_MINUTES = 7 * 24 * 60;

    /**
     * Refuses a schedule two of whose windows cover the same moment: which cap holds then would depend on their order,
     * which neither the console nor the API shows. The message names both windows and the first moment they share.
     */
    public BudgetSchedule requireNoOverlap() {
        java.util.BitSet[] covered = new java.util.BitSet[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            covered[i] = windows.get(i).minutesOfWeek();
            for (int j = 0; j < i; j++) {
                java.util.BitSet both = (java.util.BitSet) covered[i].clone();
                both.and(covered[j]);
                int first = both.nextSetBit(0);
                if (first >= 0) {
                    throw new InvalidRequestException("schedule windows " + (j + 1) + " (" + windows.get(j).describe()
                            + ") and " + (i + 1) + " (" + windows.get(i).describe() + ") both cover "
                            + shortName(DayOfWeek.of(first / (24 * 60) + 1)) + " "
                            + LocalTime.ofSecondOfDay(first % (24 * 60) * 60L) + ": a moment has one cap; shorten one of "
                            + "them or take its days out of the other");
                }
            }
        }
        return this;
    }

    /** The window in force at {@code instant}, if one is. */
    public Optional<Window> at(Instant instant) {
        if (windows.isEmpty()) {
            return Optional.empty();
        }
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        return windows.stream().filter(w -> w.covers(local)).findFirst();
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /** The time zone by its IANA name ("Europe/Paris"), or UTC when none is given. */
    public static ZoneId zone(String name) {
        if (name == null || name.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(name.trim());
        } catch (DateTimeException e) {
            throw new InvalidRequestException("'" + name + "' is not a time zone (give an IANA name such as Europe/Paris)");
        }
    }

    /**
     * Days as "MON", "MON-FRI", "SAT,SUN" or a mix ("MON-WED,FRI"); a range may wrap the week ("FRI-MON"). English
     * three-letter names, any case.
     */
    public static Set<DayOfWeek> days(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidRequestException("a schedule window needs 'days', such as MON-FRI or SAT,SUN");
        }
        EnumSet<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : spec.split(",")) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2) {
                throw new InvalidRequestException("'" + part.trim() + "' is not a day or a range of days (MON-FRI)");
            }
            DayOfWeek first = day(range[0]);
            DayOfWeek last = range.length == 2 ? day(range[1]) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                out.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (shortName(d).equals(n)) {
                return d;
            }
        }
        throw new InvalidRequestException("'" + name.trim() + "' is not a day: MON, TUE, WED, THU, FRI, SAT or SUN");
    }

    private static String shortName(DayOfWeek d) {
        return d.name().substring(0, 3);
    }

    private static LocalTime time(String field, String text) {
        if (text == null || !text.matches("\\d{2}:\\d{2}")) {
            throw new InvalidRequestException("a schedule window's '" + field + "' is a time HH:mm (00:00 to 23:59"
                    + ("to".equals(field) ? ", or 24:00" : "") + "); got " + text);
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeException e) {
            throw new InvalidRequestException("a schedule window's '" + field + "' is not a time of day: " + text);
        }
    }

    /** Its form in the grid and the catalog, after the budget's limits: {@code "zone window;window"}; empty for none. */
    String text() {
        return windows.isEmpty() ? "" : zone.getId() + " "
                + windows.stream().map(Window::text).collect(Collectors.joining(";"));
    }

    /** Read back from {@link #text}'s two parts. */
    static BudgetSchedule parse(String zone, String windows) {
        List<Window> out = new ArrayList<>();
        for (String w : windows.split(";")) {
            if (!w.isEmpty()) {
                out.add(Window.parse(w));
            }
        }
        return new BudgetSchedule(ZoneId.of(zone), out);
    }
}

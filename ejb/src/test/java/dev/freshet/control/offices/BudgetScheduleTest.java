package dev.freshet.control.offices;

import dev.freshet.control.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12, optional: a weekly schedule of an office's WAN caps, in the office's time zone. */
class BudgetScheduleTest {
    private static final long MBIT = 125_000;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** Business hours capped at 20 Mbit/s in, Friday night and Saturday free, the rest at the budget's 50. */
    private static OfficeBudget paris() {
        return new OfficeBudget("paris", 50 * MBIT, 0, 1, new BudgetSchedule(PARIS, List.of(
                BudgetSchedule.Window.of("MON-FRI", "08:00", "18:00", 20 * MBIT, 10 * MBIT),
                BudgetSchedule.Window.of("FRI", "22:00", "06:00", 0, 0),
                BudgetSchedule.Window.of("SAT", "00:00", "24:00", 0, 0))));
    }

    @Test
    void theWindowThatCoversTheMomentInTheOfficesZoneSetsTheCaps() {
        OfficeBudget b = paris();
        // Monday 2026-12-07 09:30 in Paris is 08:30 UTC (winter, UTC+1)
        assertThat(b.inLimitAt(Instant.parse("2026-12-07T08:30:00Z"))).isEqualTo(20 * MBIT);
        assertThat(b.outLimitAt(Instant.parse("2026-12-07T08:30:00Z"))).isEqualTo(10 * MBIT);
        // 07:30 in Paris (06:30 UTC): before the window, the budget's own limits
        assertThat(b.inLimitAt(Instant.parse("2026-12-07T06:30:00Z"))).isEqualTo(50 * MBIT);
        assertThat(b.outLimitAt(Instant.parse("2026-12-07T06:30:00Z"))).isZero();
        // 18:00 sharp is after the window (its end is not in it)
        assertThat(b.inLimitAt(Instant.parse("2026-12-07T17:00:00Z"))).isEqualTo(50 * MBIT);
        // summer time: 09:30 in Paris on Monday 2026-06-08 is 07:30 UTC
        assertThat(b.inLimitAt(Instant.parse("2026-06-08T07:30:00Z"))).isEqualTo(20 * MBIT);
        assertThat(b.inLimitAt(Instant.parse("2026-06-08T05:30:00Z"))).isEqualTo(50 * MBIT);
    }

    @Test
    void aWindowThatEndsBeforeItStartsRunsPastMidnightIntoTheNextDay() {
        OfficeBudget b = paris();
        // Friday 2026-12-11 23:00 and Saturday 03:00 in Paris: no cap
        assertThat(b.inLimitAt(Instant.parse("2026-12-11T22:00:00Z"))).isZero();
        assertThat(b.inLimitAt(Instant.parse("2026-12-12T02:00:00Z"))).isZero();
        // Saturday all day through the whole-day window, Sunday 03:00 back to the budget's own
        assertThat(b.inLimitAt(Instant.parse("2026-12-12T20:00:00Z"))).isZero();
        assertThat(b.inLimitAt(Instant.parse("2026-12-13T02:00:00Z"))).isEqualTo(50 * MBIT);
        // Thursday 23:00 is not Friday night
        assertThat(b.inLimitAt(Instant.parse("2026-12-10T22:00:00Z"))).isEqualTo(50 * MBIT);
    }

    @Test
    void windowsThatCoverAMomentTwiceAreRefusedAndTheMessageSaysWhere() {
        BudgetSchedule inside = new BudgetSchedule(ZoneId.of("UTC"), List.of(
                BudgetSchedule.Window.of("MON-SUN", "00:00", "24:00", 5 * MBIT, 0),
                BudgetSchedule.Window.of("WED", "12:00", "13:00", 1 * MBIT, 0)));
        assertThatThrownBy(inside::requireNoOverlap).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("windows 1 (MON,TUE,WED,THU,FRI,SAT,SUN 00:00-24:00) and 2 (WED 12:00-13:00) "
                        + "both cover WED 12:00");
        // past midnight into the next day, and past Sunday into Monday
        assertThatThrownBy(() -> new BudgetSchedule(ZoneId.of("UTC"), List.of(
                BudgetSchedule.Window.of("FRI", "22:00", "06:00", MBIT, 0),
                BudgetSchedule.Window.of("SAT", "05:00", "09:00", MBIT, 0))).requireNoOverlap())
                .hasMessageContaining("both cover SAT 05:00");
        assertThatThrownBy(() -> new BudgetSchedule(ZoneId.of("UTC"), List.of(
                BudgetSchedule.Window.of("SUN", "23:00", "01:00", MBIT, 0),
                BudgetSchedule.Window.of("MON-FRI", "00:30", "08:00", MBIT, 0))).requireNoOverlap())
                .hasMessageContaining("both cover MON 00:30");
        // windows that meet are not windows that overlap
        BudgetSchedule meeting = new BudgetSchedule(ZoneId.of("UTC"), List.of(
                BudgetSchedule.Window.of("MON-FRI", "08:00", "12:00", MBIT, 0),
                BudgetSchedule.Window.of("MON-FRI", "12:00", "18:00", 2 * MBIT, 0),
                BudgetSchedule.Window.of("MON-THU", "18:00", "08:00", 4 * MBIT, 0),
                BudgetSchedule.Window.of("SAT,SUN", "00:00", "24:00", 3 * MBIT, 0)));
        assertThat(meeting.requireNoOverlap()).isSameAs(meeting);
        // the schedule the other tests read (as one stored earlier): Friday night runs into Saturday's window
        assertThatThrownBy(() -> paris().schedule().requireNoOverlap()).hasMessageContaining("both cover SAT 00:00");
    }

    @Test
    void aScheduleStoredBeforeOverlapsWereRefusedReadsTheFirstWindowThatCoversTheMoment() {
        OfficeBudget b = new OfficeBudget("berlin", 0, 0, 1, new BudgetSchedule(ZoneId.of("UTC"), List.of(
                BudgetSchedule.Window.of("WED", "12:00", "13:00", 1 * MBIT, 0),
                BudgetSchedule.Window.of("MON-SUN", "00:00", "24:00", 5 * MBIT, 0))));
        assertThat(b.inLimitAt(Instant.parse("2026-12-09T12:30:00Z"))).isEqualTo(1 * MBIT);
        assertThat(b.inLimitAt(Instant.parse("2026-12-09T13:30:00Z"))).isEqualTo(5 * MBIT);
        assertThat(b.none()).as("no base limits, but a schedule: a budget").isFalse();
    }

    @Test
    void daysAreNamesRangesAndListsAndARangeMayWrapTheWeek() {
        assertThat(BudgetSchedule.days("mon-fri")).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(BudgetSchedule.days("SAT,SUN")).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(BudgetSchedule.days("FRI-MON")).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY,
                DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(BudgetSchedule.days("MON-WED, FRI")).hasSize(4);
    }

    @Test
    void theScheduleKeepsItsFormThroughTheGridAndTheCatalog() {
        OfficeBudget b = paris();
        OfficeBudget back = OfficeBudget.parse("paris", b.text());
        assertThat(back).isEqualTo(b);
        assertThat(back.schedule().windows().get(2).toText()).isEqualTo("24:00");
        // a budget written before schedules, or by a node that has none, reads as before
        assertThat(OfficeBudget.parse("paris", "1250000 0 17")).isEqualTo(new OfficeBudget("paris", 1_250_000, 0, 17));
        assertThat(new OfficeBudget("paris", 1_250_000, 0, 17).text()).isEqualTo("1250000 0 17");
        // the first three fields are what an older node reads of a scheduled budget
        assertThat(b.text()).startsWith(50 * MBIT + " 0 1 Europe/Paris ");
    }

    @Test
    void badSchedulesAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> BudgetSchedule.days("MON-FRY")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'FRY' is not a day");
        assertThatThrownBy(() -> BudgetSchedule.days("")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'days'");
        assertThatThrownBy(() -> BudgetSchedule.Window.of("MON", "8:00", "18:00", 0, 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("HH:mm");
        assertThatThrownBy(() -> BudgetSchedule.Window.of("MON", "24:00", "18:00", 0, 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'from'");
        assertThatThrownBy(() -> BudgetSchedule.Window.of("MON", "25:00", "26:00", 0, 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> BudgetSchedule.Window.of("MON", "08:00", "08:00", 0, 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ends where it starts");
        assertThatThrownBy(() -> BudgetSchedule.Window.of("MON", "08:00", "18:00", 10, 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("16 KiB/s");
        assertThatThrownBy(() -> BudgetSchedule.zone("Europe/Atlantis")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not a time zone");
        List<BudgetSchedule.Window> many = java.util.Collections.nCopies(BudgetSchedule.MAX_WINDOWS + 1,
                BudgetSchedule.Window.of("MON", "08:00", "09:00", 0, 0));
        assertThatThrownBy(() -> new BudgetSchedule(PARIS, many)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at most");
    }

    @Test
    void theBoundOfADistributionFollowsTheCapsInForceWhileItRuns() {
        OfficeBudget b = paris();
        // 07:59 Monday in Paris: one minute at the budget's 50 Mbit/s (375 MB), then 20 Mbit/s from 08:00
        Instant start = Instant.parse("2026-12-07T06:59:00Z");
        assertThat(b.inBoundMillis(start, 375_000_000L)).hasValue(60_000);
        assertThat(b.inBoundMillis(start, 375_000_000L + 150_000_000L)).hasValue(120_000);
        // without a schedule: the size over the cap
        OfficeBudget plain = new OfficeBudget("berlin", 20 * MBIT, 0, 1);
        assertThat(plain.inBoundMillis(start, 25_000_000L)).hasValue(10_000);
        // a moment without a cap on the way (Friday night): the link's own speed decides, unknown here
        assertThat(b.inBoundMillis(Instant.parse("2026-12-11T20:59:00Z"), 4_000_000_000_000L)).isEmpty();
        assertThat(new OfficeBudget("rome", 0, MBIT * 8, 1).inBoundMillis(start, 1)).isEmpty();
        // the offices view: a copy complete 4 minutes after the publication took 2 × that bound (not 2.9 × the
        // budget's own 50 Mbit/s)
        dev.freshet.control.directory.PublishedSwarm p = new dev.freshet.control.directory.PublishedSwarm(
                "a".repeat(40), "image", 525_000_000L, 10, "all", null, "m1", start.toEpochMilli(), false, null);
        dev.freshet.control.directory.Holding done = new dev.freshet.control.directory.Holding("a".repeat(40), "m2",
                10, 10, "seeding", 525_000_000L, 0, start.toEpochMilli() + 240_000);
        assertThat(OfficesQueries.part(p, "paris", List.of(done), b, new java.util.HashMap<>()).timeOverBound()).isEqualTo(2.0);
        // the view keeps the bound of a publication under a budget: the second read takes it from there
        java.util.Map<OfficesQueries.BoundKey, java.util.OptionalLong> bounds = new java.util.HashMap<>();
        assertThat(OfficesQueries.part(p, "paris", List.of(done), b, bounds).timeOverBound()).isEqualTo(2.0);
        assertThat(bounds).containsOnlyKeys(new OfficesQueries.BoundKey(b, start.toEpochMilli(), 525_000_000L));
        bounds.replaceAll((k, v) -> java.util.OptionalLong.of(60_000));
        assertThat(OfficesQueries.part(p, "paris", List.of(done), b, bounds).timeOverBound()).isEqualTo(4.0);
    }
}

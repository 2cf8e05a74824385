package dev.freshet.web.api.facade;

import dev.freshet.control.offices.OfficeBudget;
import dev.freshet.control.offices.OfficesOverview;

import java.util.List;

/**
 * {@code GET /api/offices} (issue 12): offices, their nodes, WAN bytes and rates in and out, budgets and shares;
 * per swarm, what crossed each office's link and how close the office came to the bound. Rates in bytes per second,
 * times in epoch millis (0: not yet); {@code budget} null where the office has none.
 */
public record OfficesDto(String localOffice, List<OfficeDto> offices, List<SwarmDto> swarms) {

    public record OfficeDto(String name, List<NodeDto> nodes, long wanInRate, long wanOutRate, long wanIn, long wanOut,
                            BudgetDto budget) {
    }

    public record NodeDto(String id, String name, boolean local, long wanInRate, long wanOutRate, long wanIn,
                          long wanOut, long inShare, long outShare, boolean inHeld, boolean outHeld) {
    }

    /**
     * Bytes per second, 0 for no cap in that direction; outside the schedule's windows (in {@code timeZone}). The
     * limits in force now ({@code inLimitNow}, {@code outLimitNow}) are a window's when one covers this moment.
     */
    public record BudgetDto(String office, long inLimit, long outLimit, long changedAt, String timeZone,
                            List<WindowDto> schedule, long inLimitNow, long outLimitNow) {
        public static BudgetDto of(OfficeBudget b) {
            if (b == null) {
                return null;
            }
            java.time.Instant now = java.time.Instant.now();
            return new BudgetDto(b.office(), b.inLimit(), b.outLimit(), b.changedAt(), b.schedule().zone().getId(),
                    b.schedule().windows().stream().map(WindowDto::of).toList(), b.inLimitAt(now), b.outLimitAt(now));
        }
    }

    /** A window of a budget's weekly schedule: days ("MON-FRI" written out: "MON,TUE,WED,THU,FRI"), HH:mm to HH:mm. */
    public record WindowDto(String days, String from, String to, long inLimit, long outLimit) {
        static WindowDto of(dev.freshet.control.offices.BudgetSchedule.Window w) {
            return new WindowDto(w.daysText(), w.fromText(), w.toText(), w.inLimit(), w.outLimit());
        }
    }

    public record SwarmDto(String infoHash, String name, long size, long publishedAt, String publisherOffice,
                           List<SwarmInOfficeDto> offices) {
    }

    public record SwarmInOfficeDto(String office, int holders, int complete, long wanIn, long wanOut,
                                   double wanInPerSize, long completedAt, Double timeOverBound) {
    }

    public static OfficesDto of(OfficesOverview o) {
        return new OfficesDto(o.localOffice(), o.offices().stream().map(f -> new OfficeDto(f.name(),
                f.nodes().stream().map(n -> new NodeDto(n.id(), n.name(), n.local(), n.wanInRate(), n.wanOutRate(),
                        n.wanIn(), n.wanOut(), n.inShare(), n.outShare(), n.inHeld(), n.outHeld())).toList(),
                f.wanInRate(), f.wanOutRate(), f.wanIn(), f.wanOut(), BudgetDto.of(f.budget()))).toList(),
                o.swarms().stream().map(s -> new SwarmDto(s.infoHash(), s.name(), s.size(), s.publishedAt(),
                        s.publisherOffice(), s.offices().stream().map(p -> new SwarmInOfficeDto(p.office(), p.holders(),
                        p.complete(), p.wanIn(), p.wanOut(), p.wanInPerSize(), p.completedAt(), p.timeOverBound()))
                        .toList())).toList());
    }
}

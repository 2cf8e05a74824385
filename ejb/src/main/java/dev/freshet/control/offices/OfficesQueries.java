package dev.freshet.control.offices;

import dev.freshet.control.NodeSettings;
import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds {@link OfficesOverview} from one read of the directory, the WAN reports and the budgets. */
@ApplicationScoped
public class OfficesQueries {
    @Inject
    SwarmDirectory directory;
    @Inject
    OfficeGrid grid;
    @Inject
    OfficeBudgets budgets;
    @Inject
    NodeSettings settings;

    public OfficesOverview overview() {
        String me = directory.localMemberId();
        List<MemberEntry> members = directory.knownMembers();
        Map<String, WanReport> reports = new HashMap<>();
        grid.reports().forEach(r -> reports.put(r.memberId(), r));
        Map<String, OfficeBudget> budgetOf = budgets.all();
        Map<String, String> officeOf = new HashMap<>();
        Map<String, List<OfficesOverview.Node>> nodesOf = new TreeMap<>();
        for (MemberEntry m : members) {
            officeOf.put(m.memberId(), m.office());
            WanReport r = reports.get(m.memberId());
            nodesOf.computeIfAbsent(m.office(), k -> new ArrayList<>()).add(r == null
                    ? new OfficesOverview.Node(m.memberId(), m.name(), m.memberId().equals(me), 0, 0, 0, 0, 0, 0,
                    false, false)
                    : new OfficesOverview.Node(m.memberId(), m.name(), m.memberId().equals(me), r.inRate(),
                    r.outRate(), r.bytesIn(), r.bytesOut(), r.inShare(), r.outShare(), r.inHeld(), r.outHeld()));
        }
        TreeSet<String> names = new TreeSet<>(nodesOf.keySet());
        names.addAll(budgetOf.keySet()); // an office with a budget and no node up is still shown
        List<OfficesOverview.Office> offices = new ArrayList<>();
        for (String name : names) {
            List<OfficesOverview.Node> nodes = nodesOf.getOrDefault(name, List.of()).stream()
                    .sorted(Comparator.comparing(OfficesOverview.Node::name)).toList();
            offices.add(new OfficesOverview.Office(name, nodes,
                    nodes.stream().mapToLong(OfficesOverview.Node::wanInRate).sum(),
                    nodes.stream().mapToLong(OfficesOverview.Node::wanOutRate).sum(),
                    nodes.stream().mapToLong(OfficesOverview.Node::wanIn).sum(),
                    nodes.stream().mapToLong(OfficesOverview.Node::wanOut).sum(), budgetOf.get(name)));
        }
        Map<String, List<Holding>> holdingsOf = new HashMap<>();
        for (Holding h : directory.holdings()) {
            holdingsOf.computeIfAbsent(h.infoHash(), k -> new ArrayList<>()).add(h);
        }
        if (bounds.size() > BOUNDS_KEPT) {
            bounds.clear();
        }
        List<OfficesOverview.Swarm> swarms = new ArrayList<>();
        for (PublishedSwarm p : directory.swarms()) {
            Map<String, List<Holding>> byOffice = new TreeMap<>();
            for (Holding h : holdingsOf.getOrDefault(p.infoHash(), List.of())) {
                String office = officeOf.get(h.memberId());
                if (office != null) {
                    byOffice.computeIfAbsent(office, k -> new ArrayList<>()).add(h);
                }
            }
            List<OfficesOverview.SwarmInOffice> parts = new ArrayList<>();
            byOffice.forEach((office, hs) -> parts.add(part(p, office, hs, budgetOf.get(office), bounds)));
            swarms.add(new OfficesOverview.Swarm(p.infoHash(), p.name(), p.totalLength(), p.publishedAt(),
                    officeOf.getOrDefault(p.publishedBy(), ""), parts));
        }
        swarms.sort(Comparator.comparing(OfficesOverview.Swarm::name).thenComparing(OfficesOverview.Swarm::infoHash));
        return new OfficesOverview(settings.office(), offices, swarms);
    }

    /** A bound under a budget for a publication: the same for as long as the budget is (budget, start, bytes). */
    record BoundKey(OfficeBudget budget, long start, long bytes) {
    }

    /**
     * Bounds under scheduled budgets computed before: one follows the schedule minute by minute, and the overview is
     * read every second by the console and the metrics for every finished swarm and office; a changed budget or a
     * new publication is a new key, and the cache starts over at {@link #BOUNDS_KEPT}.
     */
    private final Map<BoundKey, java.util.OptionalLong> bounds = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int BOUNDS_KEPT = 20_000;

    static OfficesOverview.SwarmInOffice part(PublishedSwarm p, String office, List<Holding> hs, OfficeBudget budget,
                                              Map<BoundKey, java.util.OptionalLong> bounds) {
        long in = hs.stream().mapToLong(Holding::wanIn).sum();
        long out = hs.stream().mapToLong(Holding::wanOut).sum();
        int complete = (int) hs.stream().filter(Holding::complete).count();
        long last = complete == hs.size() ? hs.stream().mapToLong(Holding::completedAt).max().orElse(0) : 0;
        Double overBound = null;
        if (last > 0 && budget != null && p.totalLength() > 0) {
            // the bound under the caps in force while it ran (a schedule's windows), from the publication on
            java.util.OptionalLong bound = budget.schedule().isEmpty()
                    ? inBound(budget, p) // the size over the cap: nothing to keep
                    : bounds.computeIfAbsent(new BoundKey(budget, p.publishedAt(), p.totalLength()),
                    k -> inBound(budget, p));
            if (bound.isPresent() && bound.getAsLong() > 0) {
                overBound = Math.max(0, last - p.publishedAt()) / (double) bound.getAsLong();
            }
        }
        return new OfficesOverview.SwarmInOffice(office, hs.size(), complete, in, out,
                p.totalLength() == 0 ? 0 : (double) in / p.totalLength(), last, overBound);
    }

    private static java.util.OptionalLong inBound(OfficeBudget budget, PublishedSwarm p) {
        return budget.inBoundMillis(java.time.Instant.ofEpochMilli(p.publishedAt()), p.totalLength());
    }
}

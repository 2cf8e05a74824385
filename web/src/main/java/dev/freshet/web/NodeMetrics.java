package dev.freshet.web;

import dev.freshet.control.EngineSnapshot;
import dev.freshet.control.NodeSettings;
import dev.freshet.control.offices.OfficesOverview;
import dev.freshet.control.offices.OfficesQueries;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The node's own figures in {@code /metrics} (application scope, Prometheus text), what operators ask for (issue 17):
 * swarms, peers, rates; payload bytes by class of peer (same office, another office, outside); pieces that failed
 * their hash check and peers banned for it; disk (verified data held, free and total space of the data directory);
 * and, from the cluster directory, each office's WAN rates, bytes and budget, and per swarm and office the WAN bytes
 * in ÷ size and the time to the office's last copy ÷ the bound (NaN without one). The node's figures come from the
 * control plane's shared engine snapshot (at most a second old); offices and swarms come and go, so their series are
 * registered and removed every {@link #SYNC_SECONDS} s. {@code src/dashboards/freshet.json} (Grafana) queries these.
 */
@ApplicationScoped
public class NodeMetrics {
    static final long SYNC_SECONDS = 5;
    private static final System.Logger LOG = System.getLogger(NodeMetrics.class.getName());

    @Inject
    EngineSnapshot snapshot;
    @Inject
    NodeSettings settings;
    @Inject
    OfficesQueries offices;
    @Inject
    dev.freshet.control.grid.GridSeal seal;
    @Inject
    dev.freshet.control.directory.SwarmDirectory directory;
    @Inject
    dev.freshet.control.node.ReconciliationTimes reconciliation;
    /** Grid members without a sealed entry, as the last sync counted them. */
    private volatile int strangers;
    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;
    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private volatile OfficesOverview overview;
    /**
     * The figures of the swarms that have series, by info-hash and office, from the last sync: each series looked its
     * swarm up in the whole overview, 200 scans of 10,000 swarms for one scrape (a third of a second of CPU).
     */
    private volatile java.util.Map<String, OfficesOverview.SwarmInOffice> swarmFigures = java.util.Map.of();
    /** The offices' and swarms' series registered now; touched only by the one sync task. */
    private final Set<MetricID> clusterSeries = new HashSet<>();
    private ScheduledFuture<?> sync;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("freshet.swarms", "swarms on this node", MetricUnits.NONE, EngineSnapshot.Totals::swarms);
        gauge("freshet.swarms.seeding", "swarms this node holds whole", MetricUnits.NONE, EngineSnapshot.Totals::seeding);
        gauge("freshet.peers", "connected peers over all swarms", MetricUnits.NONE, EngineSnapshot.Totals::peers);
        gauge("freshet.download.rate", "payload bytes per second received", MetricUnits.BYTES,
                EngineSnapshot.Totals::downloadRate);
        gauge("freshet.upload.rate", "payload bytes per second sent", MetricUnits.BYTES, EngineSnapshot.Totals::uploadRate);
        gauge("freshet.downloaded", "payload bytes received since the node started", MetricUnits.BYTES,
                EngineSnapshot.Totals::downloaded);
        gauge("freshet.uploaded", "payload bytes sent since the node started", MetricUnits.BYTES,
                EngineSnapshot.Totals::uploaded);
        String received = "payload bytes received since the node started, by class of peer";
        gauge("freshet.received", received, MetricUnits.BYTES, EngineSnapshot.Totals::sameOfficeIn, peerClass("same-office"));
        gauge("freshet.received", received, MetricUnits.BYTES, EngineSnapshot.Totals::otherOfficeIn, peerClass("other-office"));
        gauge("freshet.received", received, MetricUnits.BYTES, EngineSnapshot.Totals::outsideIn, peerClass("outside"));
        String sent = "payload bytes sent since the node started, by class of peer";
        gauge("freshet.sent", sent, MetricUnits.BYTES, EngineSnapshot.Totals::sameOfficeOut, peerClass("same-office"));
        gauge("freshet.sent", sent, MetricUnits.BYTES, EngineSnapshot.Totals::otherOfficeOut, peerClass("other-office"));
        gauge("freshet.sent", sent, MetricUnits.BYTES, EngineSnapshot.Totals::outsideOut, peerClass("outside"));
        gauge("freshet.pieces.failed", "pieces that failed their hash check since the node started", MetricUnits.NONE,
                EngineSnapshot.Totals::piecesFailed);
        gauge("freshet.peers.banned", "peers banned for sending data that failed a hash check", MetricUnits.NONE,
                EngineSnapshot.Totals::peersBanned);
        gauge("freshet.disk.verified", "bytes of verified pieces this node holds", MetricUnits.BYTES,
                EngineSnapshot.Totals::verifiedBytes);
        nodeGauge("freshet.disk.free", "bytes free for this node on its data directory's file system",
                MetricUnits.BYTES, m -> m.disk(FileStore::getUsableSpace));
        nodeGauge("freshet.disk.size", "size of the file system of this node's data directory", MetricUnits.BYTES,
                m -> m.disk(FileStore::getTotalSpace));
        nodeGauge("freshet.grid.refused", "data grid entries this node refused since it started: not sealed by the "
                + "cluster's secret (written by a member or client without it), changed, or moved to another key",
                MetricUnits.NONE, m -> m.seal.refusedTotal());
        nodeGauge("freshet.grid.strangers", "members of the data grid without a directory entry sealed by the cluster's "
                + "secret", MetricUnits.NONE, m -> m.strangers);
        nodeGauge("freshet.reconciliation.last", "how long this node's last reconciliation round with the cluster took "
                + "(every 2 s and on news)", MetricUnits.SECONDS, m -> m.reconciliation.lastSeconds());
        nodeGauge("freshet.reconciliation.longest", "the longest reconciliation round since the node started",
                MetricUnits.SECONDS, m -> m.reconciliation.longestSeconds());
        nodeGauge("freshet.reconciliation.cpu", "CPU time of the threads that ran this node's reconciliation rounds "
                + "since it started (work a round handed to the engine's network loop not counted)", MetricUnits.SECONDS,
                m -> m.reconciliation.totalCpuSeconds());
        nodeGauge("freshet.reconciliation.rounds", "reconciliation rounds since the node started", MetricUnits.NONE,
                m -> m.reconciliation.rounds());
        sync = scheduler.scheduleWithFixedDelay(this::syncClusterSeries, 0, SYNC_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (sync != null) {
            sync.cancel(false);
        }
    }

    private interface StoreFigure {
        long of(FileStore store) throws IOException;
    }

    private long disk(StoreFigure figure) {
        try {
            return figure.of(Files.getFileStore(settings.dataDir()));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Tag peerClass(String value) {
        return new Tag("peer_class", value);
    }

    private void gauge(String name, String description, String unit, ToLongFunction<EngineSnapshot.Totals> figure,
                       Tag... tags) {
        nodeGauge(name, description, unit, m -> figure.applyAsLong(m.snapshot.totals()), tags);
    }

    /** Registers a gauge of this node: {@code figure} of these metrics when it is read. */
    private <R extends Number> void nodeGauge(String name, String description, String unit,
                                              java.util.function.Function<NodeMetrics, R> figure, Tag... tags) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(),
                this, figure, tags);
    }

    /** Registers the series of offices and swarms the directory shows now, and removes those it no longer shows. */
    private void syncClusterSeries() {
        try {
            strangers = directory.strangers().size();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the grid's strangers wait for the cluster directory", e);
        }
        OfficesOverview now;
        try {
            now = offices.overview();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the offices' metrics wait for the cluster directory", e);
            return;
        }
        overview = now;
        Set<MetricID> wanted = new HashSet<>();
        for (OfficesOverview.Office o : now.offices()) {
            String name = o.name();
            Tag office = new Tag("office", name);
            wanted.add(officeGauge("freshet.office.wan.in.rate", "bytes per second into the office over its WAN link",
                    office, name, x -> x.wanInRate()));
            wanted.add(officeGauge("freshet.office.wan.out.rate", "bytes per second out of the office over its WAN link",
                    office, name, x -> x.wanOutRate()));
            wanted.add(officeGauge("freshet.office.wan.in", "payload bytes into the office from other offices "
                    + "(since its nodes started)", office, name, x -> x.wanIn()));
            wanted.add(officeGauge("freshet.office.wan.out", "payload bytes out of the office to other offices "
                    + "(since its nodes started)", office, name, x -> x.wanOut()));
            // in force now: the schedule's window when one covers this moment
            wanted.add(officeGauge("freshet.office.budget.in", "the office's WAN budget in now, bytes per second "
                    + "(0: none)", office, name, x -> x.budget() == null ? 0 : x.budget().inLimitAt(java.time.Instant.now())));
            wanted.add(officeGauge("freshet.office.budget.out", "the office's WAN budget out now, bytes per second "
                    + "(0: none)", office, name, x -> x.budget() == null ? 0 : x.budget().outLimitAt(java.time.Instant.now())));
        }
        // the latest swarms only: a series per swarm and office for thousands of swarms is more than a metrics store
        // should hold, and the whole list is the API's (GET /api/offices)
        List<OfficesOverview.Swarm> latest = now.swarms().stream()
                .sorted(java.util.Comparator.comparingLong(OfficesOverview.Swarm::publishedAt).reversed())
                .limit(MAX_SWARM_SERIES).toList();
        java.util.Map<String, OfficesOverview.SwarmInOffice> figures = new java.util.HashMap<>();
        for (OfficesOverview.Swarm s : latest) {
            for (OfficesOverview.SwarmInOffice in : s.offices()) {
                figures.put(s.infoHash() + " " + in.office(), in);
                Tag[] tags = {new Tag("swarm", s.infoHash()), new Tag("name", s.name()), new Tag("office", in.office())};
                wanted.add(swarmGauge("freshet.swarm.wan.in.per.size", "WAN bytes into the office for the swarm ÷ its size",
                        tags, s.infoHash(), in.office(), SwarmInOfficeFigure.WAN_IN_PER_SIZE));
                wanted.add(swarmGauge("freshet.swarm.time.over.bound", "from publication to the office's last copy ÷ "
                        + "size / the office's budget in (NaN: no budget or not complete)", tags, s.infoHash(),
                        in.office(), SwarmInOfficeFigure.TIME_OVER_BOUND));
            }
        }
        swarmFigures = figures;
        for (MetricID gone : clusterSeries.stream().filter(id -> !wanted.contains(id)).toList()) {
            registry.remove(gone);
            clusterSeries.remove(gone);
        }
        clusterSeries.addAll(wanted);
    }

    private MetricID officeGauge(String name, String description, Tag office, String officeName,
                                 ToLongFunction<OfficesOverview.Office> figure) {
        MetricID id = new MetricID(name, office);
        if (!clusterSeries.contains(id)) { // registered by an earlier round
            registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.BYTES)
                    .build(), this, m -> m.office(officeName).map(figure::applyAsLong).orElse(0L), office);
        }
        return id;
    }

    private enum SwarmInOfficeFigure { WAN_IN_PER_SIZE, TIME_OVER_BOUND }

    /** Swarms with series of their own: the most recently published. */
    static final int MAX_SWARM_SERIES = 100;

    private MetricID swarmGauge(String name, String description, Tag[] tags, String infoHash, String office,
                                SwarmInOfficeFigure figure) {
        MetricID id = new MetricID(name, tags);
        if (!clusterSeries.contains(id)) { // registered by an earlier round
            ToDoubleFunction<OfficesOverview.SwarmInOffice> value = figure == SwarmInOfficeFigure.WAN_IN_PER_SIZE
                    ? OfficesOverview.SwarmInOffice::wanInPerSize
                    : x -> x.timeOverBound() == null ? Double.NaN : x.timeOverBound();
            registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE)
                    .build(), this, m -> m.swarmInOffice(infoHash, office).map(value::applyAsDouble)
                    .orElse(Double.NaN), tags);
        }
        return id;
    }

    private Optional<OfficesOverview.Office> office(String name) {
        OfficesOverview o = overview;
        return o == null ? Optional.empty() : o.offices().stream().filter(x -> x.name().equals(name)).findFirst();
    }

    private Optional<OfficesOverview.SwarmInOffice> swarmInOffice(String infoHash, String office) {
        return Optional.ofNullable(swarmFigures.get(infoHash + " " + office));
    }
}

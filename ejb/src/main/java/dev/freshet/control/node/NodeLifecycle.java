package dev.freshet.control.node;

import com.hazelcast.core.HazelcastInstance;
import dev.freshet.control.NodeEngine;
import dev.freshet.control.NodeSettings;
import dev.freshet.control.Policy;
import dev.freshet.control.RateLimits;
import dev.freshet.control.Publishing;
import dev.freshet.control.Limits;
import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.Holders;
import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.OutsidePeer;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmState;
import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts the node and keeps it in step with the cluster (see the package doc). The catalog's datasource is
 * the node's own H2 file under {@code freshet.data.dir}: no server port, one process per database, and
 * {@code WRITE_DELAY=0} so that a committed change survives a kill at once (H2 otherwise writes up to
 * half a second later, and a node killed just after a publish forgot the swarm).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@DataSourceDefinition(name = "java:app/jdbc/freshet", className = "org.h2.jdbcx.JdbcDataSource",
        url = "jdbc:h2:${MPCONFIG=freshet.data.dir}/catalog/freshet;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
        user = "freshet", password = "freshet",
        // H2 closes its database after a failed write (a full disk); a pooled connection to it stays dead. Each
        // connection is checked before use and, once one fails, all are dropped: the next one opens the database
        // again, so that the catalog works once there is room (issue 10, case 5).
        properties = {"fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=table",
                "fish.payara.validation-table-name=INFORMATION_SCHEMA.USERS",
                "fish.payara.fail-all-connections=true"})
public class NodeLifecycle {
    private static final System.Logger LOG = System.getLogger(NodeLifecycle.class.getName());

    @Inject
    ReconciliationTimes times;
    @EJB
    Catalog catalog;
    @EJB
    Publishing publishing;
    @EJB
    Limits limits;
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeEngine engine;
    @Inject
    NodeSettings settings;
    @Inject
    HazelcastInstance hazelcast;

    @Resource
    ManagedExecutorService executor;

    /** The reconciliation's rounds: on the timer, and at once on news (none lost while one runs). */
    private volatile CoalescedRounds reconciling;
    private volatile MemberEntry self;
    /** The ranks last given to the engine: given again only when members or offices change. */
    private volatile dev.freshet.control.directory.OfficeRanks officeRanks;
    /** When each swarm of this node had every piece (epoch millis): from the catalog at start, then as seen. */
    private final java.util.Map<String, Long> completedAt = new java.util.concurrent.ConcurrentHashMap<>();
    @Inject
    dev.freshet.control.offices.OfficeBudgets officeBudgets;
    @Inject
    dev.freshet.control.tokens.ApiTokens apiTokens;
    @Inject
    dev.freshet.control.grid.ClusterSecrets clusterSecrets;
    @Inject
    dev.freshet.control.grid.GridSeal seal;
    /** The members last given to the engine to speak TLS with. */
    private List<dev.freshet.engine.swarm.SecureMember> securedMembers = List.of();
    @Inject
    dev.freshet.control.audit.AuditRelay auditRelay;
    @Inject
    dev.freshet.control.PublicationJobs publicationJobs;
    @EJB
    dev.freshet.control.Disks disks;
    @EJB
    dev.freshet.control.Unpublishing unpublishing;
    @EJB
    dev.freshet.control.RetentionJob retention;
    /** Bytes each swarm had sent when last seen, and when its last use was written to the catalog. */
    private final java.util.Map<String, long[]> uses = new java.util.concurrent.ConcurrentHashMap<>();
    private int retentionRounds;
    /** Info-hashes of this node's catalog records (removed ones too) as last read: a cache that only grows. */
    private final Set<String> decided = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int rounds;

    @PostConstruct
    void start() {
        long t0 = System.nanoTime();
        RateLimits global = limits.current();
        engine.run(c -> c.setGlobalLimits(global.downloadLimit(), global.uploadLimit()));
        disks.apply(); // watermarks and quota before any swarm runs
        migrateSharedSavePaths();
        int resumed = 0;
        for (SwarmRecord r : catalog.active()) {
            if (r.completedAt() != null) {
                completedAt.put(r.infoHash(), r.completedAt().toEpochMilli());
            }
            try {
                resume(r);
                resumed++;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Freshet cannot resume " + r.name() + " (" + r.infoHash() + ")", e);
                catalog.update(r.infoHash(), rec -> rec.fail("cannot resume: " + e.getMessage()));
            }
        }
        InetSocketAddress peer = engine.call(c -> c.peerAddress());
        String host = settings.peerHost().orElseGet(() ->
                hazelcast.getCluster().getLocalMember().getAddress().getHost());
        self = new MemberEntry(directory.localMemberId(), nodeName(), settings.office(), host, peer.getPort(),
                System.currentTimeMillis(), settings.publicUrl().map(u -> u + "announce").orElse(""),
                java.util.HexFormat.of().formatHex(engine.call(c -> c.peerId()).bytes()),
                engine.call(c -> c.peerCertificate()));
        directory.announce(self);
        try {
            unpublishing.finishInterrupted(); // data a kill left behind while an unpublication deleted it
            unpublishing.restoreKept(); // the unpublications this node recorded, back if the grid forgot them
            unpublishing.apply(directory.unpublished()); // swarms taken out of the cluster while this node was away
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot check for swarms taken out of the cluster", e);
        }
        // what the grid lacks of this node's swarms (a cluster that restarted whole, or lost every other copy):
        // one read of the directory, not a grid call and a catalog query per swarm (a restart with thousands)
        Set<String> listed = directory.swarms().stream().map(PublishedSwarm::infoHash).collect(Collectors.toSet());
        for (SwarmRecord r : catalog.active()) { // read again: an unpublication above may have removed some
            if (!listed.contains(r.infoHash())) {
                republish(r);
            }
        }
        try {
            officeBudgets.reconcile(); // the offices' WAN budgets this node kept, back in the grid
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot restore the offices' WAN budgets it kept", e);
        }
        try {
            apiTokens.reconcile(); // the cluster's API tokens this node kept, back in the grid
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot restore the API tokens it kept", e);
        }
        try {
            auditRelay.backfill(); // what other nodes logged while this one was away (the grid keeps a day)
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot copy the cluster's audit log", e);
        }
        try {
            publicationJobs.resumeAll(); // publications a stop or a crash left hashing, from their checkpoints
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot go on with the publications it was hashing", e);
        }
        reconciling = new CoalescedRounds(this::round, executor);
        upAt = System.nanoTime();
        directory.onNews(reconciling::soon);
        directory.onRecheck(this::recheckSoon);
        LOG.log(System.Logger.Level.INFO, "Freshet node {0} (office {1}) is up: peers dial {2}:{3}, data in {4}, "
                + "{5} swarms resumed in {6} ms", self.name(), self.office(), host, String.valueOf(peer.getPort()),
                settings.dataDir(), resumed, (System.nanoTime() - t0) / 1_000_000);
        dev.freshet.control.grid.GridObjects.tenants(hazelcast).ifPresent(t -> {
            if (t.withTenant().isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "Freshet''s {0} grid objects carry no application context",
                        t.objects());
            } else {
                LOG.log(System.Logger.Level.WARNING, "Freshet grid objects {0} carry an application context that "
                        + "every operation on them restores (created first by a node of an older version?): they "
                        + "work, slower; they lose it once the whole cluster has restarted", String.join(", ", t.withTenant()));
            }
        });
    }

    /**
     * Catalogs written before issue 10 saved every fetched swarm straight into the downloads directory, where two
     * swarms of the same name shared one file. Each such swarm moves to a directory of its own
     * ({@link NodeSettings#saveDirOf}); the data found under its name goes with the oldest swarm of that name, and
     * every moved swarm is checked again at start (the data may be the other one's: only hashes can tell).
     */
    private void migrateSharedSavePaths() {
        Path shared = settings.downloadsDir().toAbsolutePath().normalize();
        Set<String> taken = new HashSet<>();
        for (SwarmRecord r : catalog.all()) {
            if (!Path.of(r.savePath()).toAbsolutePath().normalize().equals(shared)) {
                continue;
            }
            Path target = settings.saveDirOf(r.infoHash());
            try {
                java.nio.file.Files.createDirectories(target);
                String top = Metainfo.parse(r.torrent()).info().files().get(0).path().get(0);
                Path data = dev.freshet.engine.metainfo.SafePath.resolve(shared, List.of(top));
                if (!r.removed() && taken.add(top) && java.nio.file.Files.exists(data,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    java.nio.file.Files.move(data, target.resolve(top), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                catalog.update(r.infoHash(), rec -> rec.relocate(target.toString()));
                LOG.log(System.Logger.Level.INFO, "Freshet moved {0} ({1}) to {2}; it is checked again", r.name(),
                        r.infoHash(), target);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Freshet cannot move " + r.name() + " (" + r.infoHash()
                        + ") out of the shared downloads directory", e);
            }
        }
    }

    private void republish(String infoHash) {
        catalog.find(infoHash).filter(r -> !r.removed()).ifPresent(this::republish);
    }

    /**
     * This node's swarm back in the directory, under the time it was added here: a node that comes back with a copy
     * from before an unpublication does not pass for a new publication (which would make it wanted again).
     */
    private void republish(SwarmRecord r) {
        PublishedSwarm p = PublishedSwarm.of(r.infoHash(), r.name(), r.totalLength(), r.pieceCount(), r.policy(),
                r.torrent(), self.memberId());
        directory.publish(r.addedAt() == null ? p : p.publishedAt(r.addedAt().toEpochMilli()));
    }

    private void resume(SwarmRecord r) {
        Metainfo m = Metainfo.parse(r.torrent());
        catalog.update(r.infoHash(), rec -> {
            rec.startRun();
            if (!rec.described()) { // a row from before lists kept these: parsed once here, never per list
                rec.describe(m.info().pieceLength(), m.info().isPrivate(), m.magnet().toString());
            }
        });
        engine.call(c -> c.add(m, Path.of(r.savePath()), resumeOptions(r, m)));
        if (r.paused()) {
            engine.run(c -> c.pause(m.infoHash()));
        }
    }

    /**
     * How a swarm in the catalog starts again: its verified pieces as of when they were written, announced to its own
     * trackers, and a first seed again if it was one (before, a publisher that restarted mid-way sent every piece to
     * every office that asked: each office's share of its link, k·F in all instead of F).
     */
    static SwarmOptions resumeOptions(SwarmRecord r, Metainfo m) {
        SwarmOptions options = SwarmOptions.defaults().withAnnounce(!m.trackerTiers().isEmpty())
                .withResumePieces(r.verifiedPieces(), r.verifiedAtMillis());
        return r.firstSeed() ? options.asFirstSeed() : options;
    }

    private String nodeName() {
        return settings.nodeName(hazelcast);
    }

    @PreDestroy
    void stop() {
        try {
            for (SwarmStatus s : engine.call(c -> c.statuses())) {
                directory.release(s.infoHash().hex());
            }
        } catch (RuntimeException shuttingDown) {
            // the grid or the adapter may already be gone; the others drop our entries when we leave
        }
    }

    /** Every two seconds (a round still running makes it skip), and at once on news ({@link CoalescedRounds}). */
    @Schedule(hour = "*", minute = "*", second = "*/2", persistent = false)
    void tick() {
        CoalescedRounds r = reconciling;
        if (self != null && r != null) { // the round waits for the application's start
            r.runNow();
        }
    }

    /**
     * The application has started: its web module's last servlet says so once JAX-RS and security are initialised.
     * Rounds wait for it. A round creates beans and session beans for the first time (a fetch, retention), each
     * creation tells Jersey's CDI integration of the class, which records it in a map that JAX-RS's initialisation
     * reads at the same time without a lock: a node whose first round came during its deployment failed to deploy
     * (a ConcurrentModificationException in Jersey's InjecteeSkippingAnalyzer; CI, stop 33).
     */
    public void applicationStarted() {
        applicationStarted = true;
        CoalescedRounds r = reconciling;
        if (r != null) {
            r.soon();
        }
    }

    private volatile boolean applicationStarted;
    /** When {@link #start} ended (0: not yet). */
    private volatile long upAt;
    /** Rounds run anyway this long after start when nothing said the application started (a deployment without it). */
    private static final long START_GRACE_NANOS = 120_000_000_000L;

    private boolean roundsMayRun() {
        if (applicationStarted) {
            return true;
        }
        if (upAt != 0 && System.nanoTime() - upAt > START_GRACE_NANOS) {
            applicationStarted = true;
            LOG.log(System.Logger.Level.WARNING, "Freshet was not told that the application started within {0} s of "
                    + "the node''s start; it reconciles with the cluster anyway", START_GRACE_NANOS / 1_000_000_000L);
            return true;
        }
        return false;
    }

    private void round() {
        if (!roundsMayRun()) {
            return; // news during the deployment: the round that applicationStarted() asks for reads it
        }
        long started = System.nanoTime();
        long cpu = ReconciliationTimes.threadCpu();
        try {
            clusterSecrets.refresh(); // a secret rolled in through the secrets file
            reconcile();
            times.record(started, cpu);
            auditRelay.absorb();
            if (rounds % 5 == 0) {
                apiTokens.reconcile(); // every 10 s: new tokens and revocations into this node's catalog
            }
            if (rounds++ % 15 == 7) {
                seal.resealAll(); // every 30 s while a secret is rolled in: entries sealed with the old one again
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet reconciliation with the cluster failed; trying again", e);
        }
    }

    /** Most recheck requests of other members handed to container threads and not done yet; more are dropped. */
    private static final int MAX_RECHECKS_QUEUED = 64;
    private final java.util.concurrent.atomic.AtomicInteger rechecksQueued = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Another member failed a piece it fetched (partly) from this node (grid thread): the engine hashes its copy
     * again on a container thread. Requests beyond a few dozen in flight are dropped (the scrub still comes round).
     */
    private void recheckSoon(String infoHash, int piece) {
        if (rechecksQueued.incrementAndGet() > MAX_RECHECKS_QUEUED) {
            rechecksQueued.decrementAndGet();
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    engine.run(c -> c.recheck(InfoHash.fromHex(infoHash), piece));
                } catch (RuntimeException notHere) {
                    // the swarm is no longer on this node, or the engine stops: nothing to recheck
                } finally {
                    rechecksQueued.decrementAndGet();
                }
            });
        } catch (RuntimeException shuttingDown) {
            rechecksQueued.decrementAndGet();
        }
    }

    private void reconcile() {
        if (self.trackerUrl().isEmpty() && settings.publicUrl().isPresent()) {
            self = self.withTrackerUrl(settings.publicUrl().get() + "announce"); // learned from a request
        }
        String id = directory.localMemberId();
        if (!id.equals(self.memberId())) {
            // the grid healed a split: this node was on the smaller side and came back under a new member id. Its
            // entries under the old id go (forgetDeparted, on every member); this round writes them under the new one.
            LOG.log(System.Logger.Level.INFO, "Freshet node {0} is member {1} of the grid now (was {2}): the cluster "
                    + "merged after a split; its directory entries are written again", self.name(), id, self.memberId());
            self = self.withMemberId(id);
        }
        directory.forgetDeparted();
        directory.announce(self);
        // swarms an admin took out of the cluster go first: none of the steps below may publish or fetch them again
        java.util.Map<String, dev.freshet.control.directory.Unpublished> unpublished = directory.unpublished();
        unpublishing.apply(unpublished);
        // one read of the directory per round, shared by every step below
        List<PublishedSwarm> publishedSwarms = directory.swarms();
        List<MemberEntry> memberList = directory.members();
        List<Holding> holdings = directory.holdings();
        // each swarm's holdings looked up, not scanned for: thousands of swarms, three holdings each
        java.util.Map<String, List<Holding>> holdingsByHash = Holders.byInfoHash(holdings);
        // the cluster's own engines keep their slots when outsiders crowd a swarm (issue 10, case 4)
        List<dev.freshet.engine.wire.PeerId> memberIds = memberList.stream()
                .filter(m -> !m.memberId().equals(self.memberId()))
                .flatMap(m -> m.enginePeerId().stream()).toList();
        engine.run(c -> c.preferPeers(memberIds));
        // TLS between members (issue 13): the certificates the members published in the sealed directory
        List<dev.freshet.engine.swarm.SecureMember> secure = memberList.stream()
                .filter(m -> !m.memberId().equals(self.memberId()))
                .flatMap(m -> m.secureMember().stream()).toList();
        if (!secure.equals(securedMembers)) {
            engine.run(c -> c.secureMembers(secure));
            securedMembers = secure;
        }
        // offices (issue 12): the engine ranks its own office first, then the cluster's other offices, then outsiders
        dev.freshet.control.directory.OfficeRanks ranks = dev.freshet.control.directory.OfficeRanks.of(self, memberList);
        if (!ranks.equals(officeRanks)) {
            engine.run(c -> c.rankPeers(ranks));
            officeRanks = ranks;
        }
        // records are never deleted, so a swarm once decided about stays decided: the catalog is read again only when
        // the directory holds a swarm this node has not seen (reading every hash each round cost a quarter of it)
        if (!publishedSwarms.stream().allMatch(p -> decided.contains(p.infoHash()))) {
            decided.addAll(catalog.knownInfoHashes());
        }
        java.util.Map<String, java.time.Instant> unpublishedHere = catalog.unpublishedSwarms();
        for (PublishedSwarm p : publishedSwarms) {
            // taken out of the cluster, and published anew since (an entry newer than the unpublication: not one this
            // round read before an unpublication that ran meanwhile): its policy decides again
            java.time.Instant gone = unpublishedHere.get(p.infoHash());
            boolean anew = gone != null && p.publishedAt() > gone.toEpochMilli();
            boolean fetches = Policy.parse(p.policy()).fetchesBy(settings.office());
            if (anew && !fetches && !unpublished.containsKey(p.infoHash())) {
                // wanted again elsewhere, not here: this node's record of the unpublication no longer speaks for
                // the cluster (after a whole restart it would put it back)
                catalog.update(p.infoHash(), SwarmRecord::forgetUnpublication);
            }
            if ((!decided.contains(p.infoHash()) || anew) && !unpublished.containsKey(p.infoHash()) && fetches) {
                try {
                    publishing.fetchPublished(p, Holders.peersFor(p.infoHash(), self,
                            holdingsByHash.getOrDefault(p.infoHash(), List.of()), memberList));
                    LOG.log(System.Logger.Level.INFO, "Freshet fetches {0} ({1}): policy {2}", p.name(), p.infoHash(),
                            p.policy());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Freshet cannot fetch " + p.name() + " (" + p.infoHash() + ")", e);
                }
            }
        }
        List<SwarmStatus> running = engine.call(c -> c.statuses());
        Set<String> published = publishedSwarms.stream().map(PublishedSwarm::infoHash).collect(Collectors.toSet());
        Set<String> privateSwarms = publishedSwarms.stream().filter(PublishedSwarm::privateSwarm)
                .map(PublishedSwarm::infoHash).collect(Collectors.toSet());
        // this member's holdings of swarms it no longer runs (a release the grid did not take): dropped now
        Set<String> runningHashes = running.stream().map(s -> s.infoHash().hex()).collect(Collectors.toSet());
        for (Holding h : holdings) {
            if (h.memberId().equals(self.memberId()) && !runningHashes.contains(h.infoHash())) {
                directory.release(h.infoHash());
            }
        }
        for (SwarmStatus s : running) {
            if (!published.contains(s.infoHash().hex()) && !unpublished.containsKey(s.infoHash().hex())) {
                republish(s.infoHash().hex()); // the grid lost it (every copy's member died): it is ours to restore
            }
        }
        List<String> usedNow = new java.util.ArrayList<>();
        long nowMillis = System.currentTimeMillis();
        for (SwarmStatus s : running) {
            long[] u = uses.computeIfAbsent(s.infoHash().hex(), k -> new long[] {s.uploaded(), 0});
            if (s.uploaded() > u[0]) { // a peer took data from it: in use (written at most once a minute)
                u[0] = s.uploaded();
                if (nowMillis - u[1] > 60_000) {
                    u[1] = nowMillis;
                    usedNow.add(s.infoHash().hex());
                }
            }
        }
        try { // neither may keep the round from its other steps (a catalog on a full disk cannot write)
            if (!usedNow.isEmpty()) {
                retention.used(usedNow);
            }
            if (retentionRounds++ % 5 == 0) { // every 10 s: a download stopped by the disk limits gets room if it can
                retention.relieve(publishedSwarms);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet could not keep its copies' last uses or make room", e);
        }
        // the outside clients of every swarm running, in one read (a read per swarm took seconds with thousands)
        java.util.Map<String, List<OutsidePeer>> outsidePeers = directory.outsidePeers(runningHashes);
        java.util.Map<InfoHash, List<InetSocketAddress>> peersToGive = new java.util.LinkedHashMap<>();
        List<Holding> changedHoldings = new java.util.ArrayList<>();
        for (SwarmStatus s : running) {
            String hash = s.infoHash().hex();
            List<Holding> held = holdingsByHash.getOrDefault(hash, List.of());
            long done = 0;
            if (s.pieceCount() > 0 && s.verifiedPieces() == s.pieceCount()) {
                done = completedAt.computeIfAbsent(hash, k -> System.currentTimeMillis());
            } else if (s.state() != SwarmState.CHECKING) {
                completedAt.remove(hash); // a piece failed its recheck: complete again later
            }
            Holding h = new Holding(hash, self.memberId(), s.verifiedPieces(), s.pieceCount(), s.state().name(),
                    s.wanDownloaded(), s.wanUploaded(), done);
            if (!held.contains(h)) {
                changedHoldings.add(h); // only what changed: every write reaches every member
            }
            List<InetSocketAddress> peers = new java.util.ArrayList<>();
            if (s.state() == SwarmState.DOWNLOADING) {
                peers.addAll(Holders.peersFor(hash, self, held, memberList));
            }
            if (s.state() == SwarmState.DOWNLOADING || s.state() == SwarmState.SEEDING) {
                if (privateSwarms.contains(hash)) {
                    // BEP 27: the engine takes incoming peers of a private swarm only from addresses it was given
                    peers.addAll(Holders.downloadersOf(hash, self, held, memberList));
                }
                // outside clients that announced to a node's tracker: dial them too, seeds as well, for
                // clients that only accept connections (Transmission never dials loopback peers, say)
                for (OutsidePeer o : outsidePeers.getOrDefault(hash, List.of())) {
                    if (!o.seed() || s.state() == SwarmState.DOWNLOADING) {
                        peers.add(new InetSocketAddress(o.ip(), o.port()));
                    }
                }
            }
            if (!peers.isEmpty()) {
                peersToGive.put(InfoHash.fromHex(hash), peers);
            }
        }
        directory.holdAll(changedHoldings);
        if (!peersToGive.isEmpty()) { // over one connection to the engine, not one per swarm
            engine.run(c -> peersToGive.forEach((hash, peers) -> {
                try {
                    c.addPeers(hash, peers);
                } catch (dev.freshet.engine.swarm.UnknownSwarmException removedMeanwhile) {
                    // removed since this round read the engine: nothing to give it
                }
            }));
        }
    }
}

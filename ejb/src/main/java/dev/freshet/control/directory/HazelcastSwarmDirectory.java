package dev.freshet.control.directory;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.listener.EntryAddedListener;
import dev.freshet.control.grid.GridObjects;
import dev.freshet.control.grid.GridSeal;
import dev.freshet.control.grid.SealedMap;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The directory in three Hazelcast maps of JSON strings (plain strings keep application classes out of
 * the grid's class loading): {@code freshet.swarms} by info-hash, {@code freshet.members} by member id,
 * {@code freshet.holdings} by {@code infoHash/memberId}; and {@code freshet.outside-peers}, by info-hash, the clients
 * outside the cluster that announced a swarm ({@link OutsidePeers}). Every value is sealed by the cluster secret
 * ({@link GridSeal}): an entry that does not open, or that names another key than it is filed under, is not there for
 * this node.
 */
@ApplicationScoped
public class HazelcastSwarmDirectory implements SwarmDirectory {
    private static final System.Logger LOG = System.getLogger(HazelcastSwarmDirectory.class.getName());
    static final String SWARMS = "freshet.swarms";
    static final String MEMBERS = "freshet.members";
    static final String HOLDINGS = "freshet.holdings";
    static final String OUTSIDE = "freshet.outside-peers";
    /** Swarms taken out of the cluster by an admin ({@link Unpublished}), by info-hash. */
    static final String UNPUBLISHED = "freshet.unpublished";
    /** A topic of recheck requests, {@code "memberId infoHash piece"}: every member hears all, acts on its own. */
    static final String RECHECKS = "freshet.rechecks";
    private static final java.util.regex.Pattern RECHECK =
            java.util.regex.Pattern.compile("([0-9a-f-]{36}) ([0-9a-f]{40}) (\\d{1,9})");

    @Inject
    HazelcastInstance hazelcast;
    @Inject
    GridSeal seal;

    private final Jsonb json = JsonbBuilder.create();
    private SealedMap swarms;
    private SealedMap members;
    private SealedMap holdings;
    private SealedMap outside;
    private SealedMap unpublished;
    private com.hazelcast.map.IMap<String, String> locks;
    private com.hazelcast.topic.ITopic<String> rechecks;
    private UUID listener;
    private UUID recheckListener;
    /** Callbacks for a swarm published anywhere, run after {@link #published} has it. */
    private final List<Runnable> swarmNews = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The published swarms as this member last heard of them: kept by the map's events, read whole again every
     * {@link #RESYNC_NANOS} in case an event was lost (a connection that broke, a split that healed). Each
     * reconciliation round read the whole map, every entry with its torrent, and that was most of what an idle node
     * spent with thousands of swarms.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Mirrored> published = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long publishedReadAt;
    private volatile boolean publishedRead;
    private UUID mirrorListener;
    static final long RESYNC_NANOS = 30_000_000_000L;

    /** A published swarm and when this member learned it (a full read never drops what arrived after it began). */
    private record Mirrored(PublishedSwarm swarm, long learnedAt) {
    }

    /**
     * The holdings as this member last heard of them, by info-hash, then member: kept by the map's events, read whole
     * again every {@link #RESYNC_NANOS} (a lost event). Every reconciliation round and every cluster view reads them;
     * reading the whole map each time, three holdings a swarm, cost each node most of its grid work with thousands
     * of swarms. The map per swarm is immutable, replaced whole (a few members each).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Map<String, Held>> heldByHash =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long holdingsReadAt;
    private volatile boolean holdingsRead;
    private UUID holdingsListener;

    /** A holding and when this member learned it (a full read never takes back what arrived after it began). */
    private record Held(Holding holding, long learnedAt) {
    }

    /** A directory on {@code hazelcast}, outside a container (tests, tools). */
    public static HazelcastSwarmDirectory on(HazelcastInstance hazelcast, GridSeal seal) {
        HazelcastSwarmDirectory d = new HazelcastSwarmDirectory();
        d.hazelcast = hazelcast;
        d.seal = seal;
        d.open();
        return d;
    }

    @PostConstruct
    void open() {
        swarms = new SealedMap(GridObjects.map(hazelcast, SWARMS), seal);
        members = new SealedMap(GridObjects.map(hazelcast, MEMBERS), seal);
        holdings = new SealedMap(GridObjects.map(hazelcast, HOLDINGS), seal);
        outside = new SealedMap(GridObjects.map(hazelcast, OUTSIDE), seal);
        unpublished = new SealedMap(GridObjects.map(hazelcast, UNPUBLISHED), seal);
        locks = GridObjects.map(hazelcast, LOCKS);
        rechecks = GridObjects.topic(hazelcast, RECHECKS);
        mirrorListener = swarms.raw().addEntryListener(new SwarmEvents(), true);
        holdingsListener = holdings.raw().addEntryListener(new HoldingEvents(), true);
        // Runs on a Hazelcast event thread: touches only the maps, no container services.
        listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                forget(event.getMember().getUuid().toString());
            }
        });
    }

    /**
     * Wakes {@code whenNews} when a swarm or a holding is added (by the mirrors' own listeners: one listener a map).
     * Additions only: holdings are rewritten as pieces arrive, and updates would wake every node each time.
     */
    @Override
    public void onNews(Runnable whenNews) {
        swarmNews.add(whenNews);
    }

    /** Every change of a map that a mirror of it follows. */
    private interface MirrorEvents extends EntryAddedListener<String, String>,
            com.hazelcast.map.listener.EntryUpdatedListener<String, String>,
            com.hazelcast.map.listener.EntryRemovedListener<String, String>,
            com.hazelcast.map.listener.EntryEvictedListener<String, String>,
            com.hazelcast.map.listener.EntryExpiredListener<String, String>,
            com.hazelcast.map.listener.EntryMergedListener<String, String>,
            com.hazelcast.map.listener.MapClearedListener {
    }

    /** Keeps {@link #published} as the map changes (a Hazelcast event thread: the maps and this object only). */
    private final class SwarmEvents implements MirrorEvents {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, String> e) {
            if (learn(e.getKey(), e.getValue())) {
                swarmNews.forEach(Runnable::run);
            }
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> e) {
            learn(e.getKey(), e.getValue());
        }

        @Override
        public void entryMerged(com.hazelcast.core.EntryEvent<String, String> e) {
            if (learn(e.getKey(), e.getValue())) {
                swarmNews.forEach(Runnable::run);
            }
        }

        @Override
        public void entryRemoved(com.hazelcast.core.EntryEvent<String, String> e) {
            published.remove(e.getKey());
        }

        @Override
        public void entryEvicted(com.hazelcast.core.EntryEvent<String, String> e) {
            published.remove(e.getKey());
        }

        @Override
        public void entryExpired(com.hazelcast.core.EntryEvent<String, String> e) {
            published.remove(e.getKey());
        }

        @Override
        public void mapCleared(com.hazelcast.map.MapEvent e) {
            publishedRead = false; // read it all again
        }
    }

    /**
     * Takes the sealed {@code text} under {@code infoHash} for that swarm's entry if it opens and names that swarm;
     * anything else leaves what this member knew (an entry replaced by one that does not verify is not a removal:
     * nobody without the secret makes a node drop a swarm). Answers whether it learned something.
     */
    private boolean learn(String infoHash, String text) {
        if (text == null) {
            return false;
        }
        try {
            PublishedSwarm p = parsedSwarms.parse(text, t -> swarms.open(infoHash, t)
                    .map(v -> json.fromJson(v, PublishedSwarm.class)).orElse(null));
            if (p == null || !infoHash.equals(p.infoHash())) {
                if (published.containsKey(infoHash)) {
                    overwritten.add(infoHash); // put back by the next read (not on this grid thread)
                }
                return false;
            }
            published.put(infoHash, new Mirrored(p, System.nanoTime()));
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet ignores a directory entry it cannot read: " + infoHash);
            return false;
        }
    }

    @Override
    public void askRecheck(String memberId, String infoHash, int piece) {
        rechecks.publish(seal.seal(RECHECKS, "", memberId + " " + infoHash + " " + piece));
    }

    @Override
    public void onRecheck(java.util.function.ObjIntConsumer<String> whenAsked) {
        recheckListener = rechecks.addMessageListener(message -> {
            java.util.regex.Matcher m = RECHECK.matcher(seal.open(RECHECKS, "", String.valueOf(message.getMessageObject()))
                    .orElse(""));
            // this member's id now: a member that comes back from a split gets a new one
            if (m.matches() && m.group(1).equals(localMemberId())) {
                whenAsked.accept(m.group(2), Integer.parseInt(m.group(3)));
            }
        });
    }

    @PreDestroy
    void close() {
        try {
            if (listener != null) {
                hazelcast.getCluster().removeMembershipListener(listener);
            }
            if (recheckListener != null) {
                rechecks.removeMessageListener(recheckListener);
            }
            if (mirrorListener != null) {
                swarms.removeListener(mirrorListener);
            }
            if (holdingsListener != null) {
                holdings.removeListener(holdingsListener);
            }
        } catch (RuntimeException alreadyDown) {
            // the grid stops with the server; nothing left to unregister from
        }
    }

    @Override
    public String localMemberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public void announce(MemberEntry self) {
        members.set(self.memberId(), json.toJson(self));
    }

    @Override
    public List<MemberEntry> members() {
        List<MemberEntry> out = new java.util.ArrayList<>();
        members.entries().forEach((id, text) -> {
            MemberEntry m = json.fromJson(text, MemberEntry.class);
            if (m != null && id.equals(m.memberId())) {
                out.add(m);
            }
        });
        List<MemberEntry> read = List.copyOf(out);
        lastMembers = read;
        lastMembersAt = System.nanoTime();
        return read;
    }

    /** The member list of the last {@link #members} read (null: none yet), and when it was read. */
    private volatile List<MemberEntry> lastMembers;
    private volatile long lastMembersAt;
    /** When a bounded read of the member list last went unanswered (0: never). */
    private volatile long membersSlowAt;
    /** A list read this recently is taken as it is (a burst of requests reads the grid once). */
    private static final long FRESH_NANOS = 250_000_000L;
    /** After a read went unanswered, the last list stands in this long before the grid is asked again. */
    private static final long SLOW_NANOS = 30_000_000_000L;
    /** Bounded reads for {@link #knownMembers} (absent outside a container: then it reads directly). */
    @Inject
    DirectoryCalls calls;

    /**
     * The member list as read now when the grid answers within a bounded wait, else as read last: a member that does
     * not answer (beyond a link that just went down) costs a request at most that wait, and none for 30 s after.
     */
    @Override
    public List<MemberEntry> knownMembers() {
        List<MemberEntry> known = lastMembers;
        long now = System.nanoTime();
        if (known != null && (now - lastMembersAt < FRESH_NANOS
                || (membersSlowAt != 0 && now - membersSlowAt < SLOW_NANOS))) {
            return known;
        }
        if (known == null || calls == null) {
            return members();
        }
        java.util.Optional<List<MemberEntry>> read = calls.read("the member list", this::members);
        if (read.isEmpty()) {
            membersSlowAt = now;
            return known;
        }
        return read.get();
    }

    /**
     * Members of the grid with no directory entry that opens: a member that was not given the cluster's secret (a
     * rogue one, or a node misconfigured), or one that has not announced itself yet. By address, for operators.
     */
    @Override
    public List<String> strangers() {
        Set<String> known = knownMembers().stream().map(MemberEntry::memberId).collect(Collectors.toSet());
        List<String> out = new java.util.ArrayList<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            if (!known.contains(m.getUuid().toString())) {
                out.add(m.getAddress().getHost() + ":" + m.getAddress().getPort() + " (" + m.getUuid() + ")");
            }
        }
        return out;
    }

    @Override
    public void publish(PublishedSwarm swarm) {
        for (int attempt = 0; attempt < 16; attempt++) {
            String earlier = swarms.rawGet(swarm.infoHash());
            if (earlier != null && learn(swarm.infoHash(), earlier)) {
                return; // published before (by this node or another): the first entry stands
            }
            // absent, or a text that does not open (written without the secret): ours replaces it
            if (swarms.replace(swarm.infoHash(), earlier, json.toJson(swarm), 0, java.util.concurrent.TimeUnit.SECONDS)) {
                published.put(swarm.infoHash(), new Mirrored(swarm, System.nanoTime())); // seen here at once
                return;
            }
        }
    }

    /** Locks of {@link #exclusively} (keys only: nothing is stored under them). */
    static final String LOCKS = "freshet.locks";

    @Override
    public <T> Optional<T> exclusively(String key, java.util.function.Supplier<T> work) {
        boolean had;
        try {
            had = locks.tryLock(key, 5, java.util.concurrent.TimeUnit.SECONDS, 60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (!had) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(work.get());
        } finally {
            try {
                locks.unlock(key);
            } catch (IllegalMonitorStateException leaseOver) {
                // held longer than its lease: already let go
            }
        }
    }

    @Override
    public void unpublishEverywhere(Unpublished u) {
        unpublished.set(u.infoHash(), json.toJson(u));
        unpublish(u.infoHash());
    }

    @Override
    public java.util.Map<String, Unpublished> unpublished() {
        java.util.Map<String, Unpublished> out = new java.util.HashMap<>();
        unpublished.entries().forEach((hash, text) -> {
            Unpublished u = json.fromJson(text, Unpublished.class);
            if (u != null && hash.equals(u.infoHash())) {
                out.put(hash, u);
            }
        });
        return out;
    }

    @Override
    public boolean keepUnpublished(Unpublished u) {
        return unpublished.replace(u.infoHash(), null, json.toJson(u), 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void wantedAgain(String infoHash) {
        unpublished.delete(infoHash);
    }

    @Override
    public void unpublish(String infoHash) {
        swarms.delete(infoHash);
        published.remove(infoHash);
    }

    @Override
    public Optional<PublishedSwarm> swarm(String infoHash) {
        String text = swarms.rawGet(infoHash);
        Optional<PublishedSwarm> held = swarms.open(infoHash, text).map(s -> json.fromJson(s, PublishedSwarm.class))
                .filter(p -> infoHash.equals(p.infoHash()));
        if (held.isEmpty() && text != null) {
            // overwritten without the secret: what this member knew of it stands, and is put back
            Mirrored known = published.get(infoHash);
            if (known != null) {
                overwritten.add(infoHash);
                return Optional.of(known.swarm());
            }
        }
        return held;
    }

    /**
     * The next {@link #swarms} and {@link #holdings} read their whole maps again (tests; each does so every 30 s by
     * itself).
     */
    public void forceFullRead() {
        publishedRead = false;
        holdingsRead = false;
    }

    /** Swarms whose entry was replaced by a text that does not open, while this member knows the real one. */
    private final Set<String> overwritten = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Puts back the entries this member knows that someone without the secret overwrote (compare-and-set: an honest
     * change meanwhile wins); answers how many.
     */
    private int restoreOverwritten() {
        int n = 0;
        for (String hash : List.copyOf(overwritten)) {
            overwritten.remove(hash);
            Mirrored known = published.get(hash);
            String text = swarms.rawGet(hash);
            if (known != null && text != null && swarms.open(hash, text).isEmpty()
                    && swarms.replace(hash, text, json.toJson(known.swarm()), 0, java.util.concurrent.TimeUnit.SECONDS)) {
                n++;
            }
        }
        if (n > 0) {
            LOG.log(System.Logger.Level.WARNING, "Freshet put back {0} directory entries that someone without the "
                    + "cluster secret had overwritten", n);
        }
        return n;
    }

    @Override
    public List<PublishedSwarm> swarms() {
        restoreOverwritten();
        if (!publishedRead) {
            readPublished(); // nothing mirrored yet: the caller waits for the grid
        } else if (System.nanoTime() - publishedReadAt > RESYNC_NANOS) {
            resyncAside(publishedResync, "the published swarms", this::readPublished);
        }
        return published.values().stream().map(Mirrored::swarm).toList();
    }

    /** The published swarms' map read whole; what it lacks that was learned before the read began goes. */
    private void readPublished() {
        long now = System.nanoTime();
        java.util.Map<String, String> all = wholeOr(swarms, publishedRead, "the published swarms", now,
                at -> publishedReadAt = at);
        if (all == null) {
            return;
        }
        all.forEach(this::learn);
        // gone from the map and learned before this read began: lost removal events
        published.entrySet().removeIf(e -> !all.containsKey(e.getKey()) && e.getValue().learnedAt() < now);
        publishedReadAt = now;
        publishedRead = true;
    }

    /** Whether a resync of {@link #published} or of the holdings runs now (one at a time each). */
    private final java.util.concurrent.atomic.AtomicBoolean publishedResync = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean holdingsResync = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A mirror's periodic whole read (it only catches events that were lost) runs beside the caller, who goes on
     * with the mirror as it is: a request or a round never waits for it, so a member that does not answer (across a
     * link that just went down) costs none of them Hazelcast's call timeout. Outside a container it runs here.
     */
    private void resyncAside(java.util.concurrent.atomic.AtomicBoolean running, String what, Runnable read) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Runnable once = () -> {
            try {
                read.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Freshet could not read {0} again from the grid: {1}", what,
                        DirectoryCalls.brief(e));
            } finally {
                running.set(false);
            }
        };
        if (calls == null || !calls.aside(once)) {
            once.run();
        }
    }

    /**
     * Entries parsed before, by their text: every reconciliation round reads every entry, and most have not changed
     * since the last (parsing them again was most of an idle node's CPU with thousands of swarms). An entry changes
     * by a new text, so a text maps to one value; the cache starts over when it holds twice what the map does.
     */
    private static final class Parsed<T> {
        private final java.util.concurrent.ConcurrentHashMap<String, T> byText = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.function.IntSupplier live;

        Parsed(java.util.function.IntSupplier live) {
            this.live = live;
        }

        /**
         * The value of sealed {@code text}, by {@code opener} (opens and parses; null: it does not open) the first
         * time: a text that opened once opens the same way again (the key is in the sealed data), so it is not
         * opened again. A text that does not open is not kept (it is reported each time it is read).
         */
        T parse(String text, java.util.function.Function<String, T> opener) {
            T value = byText.get(text);
            if (value == null) {
                if (byText.size() > 2 * live.getAsInt() + 64) {
                    byText.clear();
                }
                value = opener.apply(text);
                if (value != null) {
                    byText.put(text, value);
                }
            }
            return value;
        }
    }

    private final Parsed<PublishedSwarm> parsedSwarms = new Parsed<>(() -> published.size());
    private final Parsed<Holding> parsedHoldings = new Parsed<>(() -> heldByHash.size()
            * Math.max(1, hazelcast.getCluster().getMembers().size()));

    @Override
    public void hold(Holding holding) {
        holdings.set(holding.infoHash() + "/" + holding.memberId(), json.toJson(holding));
        keep(holding, System.nanoTime()); // seen here at once, before its event
    }

    /**
     * Writes this member's holdings that changed, all at once, and waits for the grid to take them a bounded while:
     * one at a time, a round with a thousand changes waited out a thousand round trips.
     */
    @Override
    public void holdAll(java.util.Collection<Holding> changed) {
        List<java.util.concurrent.CompletionStage<Void>> writes = new java.util.ArrayList<>();
        long now = System.nanoTime();
        for (Holding h : changed) {
            writes.add(holdings.setAsync(h.infoHash() + "/" + h.memberId(), json.toJson(h), 0, TimeUnit.SECONDS));
            keep(h, now);
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(writes.stream().map(
                    java.util.concurrent.CompletionStage::toCompletableFuture)
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).get(HOLD_ALL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // what the grid did not take differs from it at the next round, which writes it again
            LOG.log(System.Logger.Level.WARNING, "Freshet: the grid has not taken all of {0} holdings within {1} s: {2}",
                    writes.size(), HOLD_ALL_WAIT_SECONDS, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long a round waits for its holdings to be written (the grid answers in milliseconds when it answers). */
    static final long HOLD_ALL_WAIT_SECONDS = 10;

    @Override
    public void release(String infoHash) {
        holdings.delete(infoHash + "/" + localMemberId());
        drop(infoHash, localMemberId());
    }

    @Override
    public List<Holding> holders(String infoHash) {
        Set<String> keys = hazelcast.getCluster().getMembers().stream()
                .map(m -> infoHash + "/" + m.getUuid()).collect(Collectors.toSet());
        List<Holding> out = new java.util.ArrayList<>();
        holdings.raw().getAll(keys).forEach((key, text) -> {
            Holding h = openHolding(key, text);
            if (h != null) {
                out.add(h);
            }
        });
        return out;
    }

    @Override
    public List<Holding> holdings() {
        readHoldingsIfDue();
        List<Holding> out = new java.util.ArrayList<>();
        for (java.util.Map<String, Held> bySwarm : heldByHash.values()) {
            for (Held h : bySwarm.values()) {
                out.add(h.holding());
            }
        }
        return out;
    }

    /**
     * The whole of {@code map}, which this member mirrors ({@code mirrored}: it has read it whole before), or null
     * when the read failed and the mirror stands in: a member paused (a long GC, a frozen VM) and its calls come back
     * with a cluster clock that lags, or the grid is re-forming. The mirror, kept current by events, is what a list
     * answers and a round decides on; {@code readAt} is given a read time that has the read tried again after
     * {@link #RETRY_NANOS}. A first read that fails fails the caller: nothing stands in.
     */
    private static java.util.Map<String, String> wholeOr(SealedMap map, boolean mirrored, String what, long now,
                                                         java.util.function.LongConsumer readAt) {
        try {
            return map.rawEntries();
        } catch (com.hazelcast.core.HazelcastException e) {
            if (!mirrored) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "Freshet could not read {0} again from the grid ({1}); what this "
                    + "member mirrors stands in, and it reads again in {2} s", what, DirectoryCalls.brief(e),
                    RETRY_NANOS / 1_000_000_000L);
            readAt.accept(now - RESYNC_NANOS + RETRY_NANOS);
            return null;
        }
    }

    /** How soon a full read that failed is tried again. */
    static final long RETRY_NANOS = 5_000_000_000L;

    /**
     * The whole map read again when none was yet (the caller waits), or beside the caller when the last is
     * {@link #RESYNC_NANOS} old (lost events).
     */
    private void readHoldingsIfDue() {
        if (!holdingsRead) {
            readHoldings();
        } else if (System.nanoTime() - holdingsReadAt > RESYNC_NANOS) {
            resyncAside(holdingsResync, "the holdings", this::readHoldings);
        }
    }

    /** The holdings' map read whole; what it lacks that was learned before the read began goes. */
    private void readHoldings() {
        long now = System.nanoTime();
        Set<String> opened = new java.util.HashSet<>();
        java.util.Map<String, String> all = wholeOr(holdings, holdingsRead, "the holdings", now,
                at -> holdingsReadAt = at);
        if (all == null) {
            return;
        }
        all.forEach((key, text) -> {
            Holding h = openHolding(key, text);
            if (h == null) {
                return;
            }
            opened.add(key);
            Held known = heldByHash.getOrDefault(h.infoHash(), java.util.Map.of()).get(h.memberId());
            if (known == null || known.learnedAt() < now) { // an event since the read began is newer
                keep(h, now);
            }
        });
        // gone from the map (or no longer opening) and learned before this read began: lost removal events
        heldByHash.forEach((hash, bySwarm) -> bySwarm.forEach((member, h) -> {
            if (h.learnedAt() < now && !opened.contains(hash + "/" + member)) {
                drop(hash, member);
            }
        }));
        holdingsReadAt = now;
        holdingsRead = true;
    }

    /** The holding in sealed {@code text} under {@code key}, if it opens and is the one of that key (null: not). */
    private Holding openHolding(String key, String text) {
        if (text == null) {
            return null;
        }
        return parsedHoldings.parse(text, t -> holdings.open(key, t).map(v -> json.fromJson(v, Holding.class))
                .filter(v -> key.equals(v.infoHash() + "/" + v.memberId())).orElse(null));
    }

    private void keep(Holding h, long learnedAt) {
        heldByHash.compute(h.infoHash(), (hash, bySwarm) -> {
            java.util.Map<String, Held> next = bySwarm == null ? new java.util.HashMap<>() : new java.util.HashMap<>(bySwarm);
            next.put(h.memberId(), new Held(h, learnedAt));
            return java.util.Map.copyOf(next);
        });
    }

    private void drop(String infoHash, String memberId) {
        heldByHash.computeIfPresent(infoHash, (hash, bySwarm) -> {
            if (!bySwarm.containsKey(memberId)) {
                return bySwarm;
            }
            java.util.Map<String, Held> next = new java.util.HashMap<>(bySwarm);
            next.remove(memberId);
            return next.isEmpty() ? null : java.util.Map.copyOf(next);
        });
    }

    private void drop(String key) {
        int slash = key.indexOf('/');
        if (slash > 0) {
            drop(key.substring(0, slash), key.substring(slash + 1));
        }
    }

    /** Keeps {@link #heldByHash} as the map changes (a Hazelcast event thread: this object's state only). */
    private final class HoldingEvents implements MirrorEvents {
        /** Whether the entry opened (a text that does not open counts for nothing, as in a full read). */
        private boolean learn(com.hazelcast.core.EntryEvent<String, String> e) {
            Holding h = openHolding(e.getKey(), e.getValue());
            if (h != null) {
                keep(h, System.nanoTime());
                return true;
            }
            drop(e.getKey());
            return false;
        }

        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, String> e) {
            if (learn(e)) {
                swarmNews.forEach(Runnable::run); // a member took a swarm: peers to give out
            }
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> e) {
            learn(e);
        }

        @Override
        public void entryMerged(com.hazelcast.core.EntryEvent<String, String> e) {
            learn(e);
        }

        @Override
        public void entryRemoved(com.hazelcast.core.EntryEvent<String, String> e) {
            drop(e.getKey());
        }

        @Override
        public void entryEvicted(com.hazelcast.core.EntryEvent<String, String> e) {
            drop(e.getKey());
        }

        @Override
        public void entryExpired(com.hazelcast.core.EntryEvent<String, String> e) {
            drop(e.getKey());
        }

        @Override
        public void mapCleared(com.hazelcast.map.MapEvent e) {
            holdingsRead = false; // read it all again
        }
    }

    @Override
    public List<OutsidePeer> recordOutsidePeer(OutsidePeer peer, int ttlSeconds) {
        long now = System.currentTimeMillis();
        return changeOutside(peer.infoHash(), p -> p.with(peer, now + ttlSeconds * 1000L, now), ttlSeconds, now);
    }

    @Override
    public List<OutsidePeer> forgetOutsidePeer(OutsidePeer peer) {
        long now = System.currentTimeMillis();
        return changeOutside(peer.infoHash(), p -> p.without(peer, now), 0, now);
    }

    /**
     * One compare-and-set change of a swarm's outside clients (announces to different nodes may race); answers the
     * clients after it. The map entry lives {@code ttlSeconds} after its last change: a swarm nobody announces any
     * more leaves the grid.
     */
    private List<OutsidePeer> changeOutside(String infoHash, java.util.function.UnaryOperator<OutsidePeers> change,
                                            int ttlSeconds, long now) {
        OutsidePeers next = OutsidePeers.empty();
        for (int attempt = 0; attempt < 16; attempt++) {
            String old = outside.rawGet(infoHash);
            // a text that does not open is taken for none, and replaced
            next = change.apply(outside.open(infoHash, old).map(OutsidePeers::parse).orElse(OutsidePeers.empty()));
            if (next.isEmpty(now)) {
                if (old == null || outside.remove(infoHash, old)) {
                    break;
                }
            } else if (outside.replace(infoHash, old, next.text(), ttlSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                break;
            }
        }
        // after sixteen lost races with other announces of this swarm, this client is told peers all the same
        return next.peers(infoHash, now);
    }

    @Override
    public List<OutsidePeer> outsidePeers(String infoHash) {
        // one lookup by key, whatever the number of strangers tracked for other swarms
        return outside.get(infoHash).map(text -> OutsidePeers.parse(text).peers(infoHash, System.currentTimeMillis()))
                .orElse(List.of());
    }

    @Override
    public java.util.Map<String, List<OutsidePeer>> outsidePeers(java.util.Collection<String> infoHashes) {
        if (infoHashes.isEmpty() || outsideSwarmCount() == 0) {
            return java.util.Map.of(); // no outside client announced anything: nothing to read
        }
        long now = System.currentTimeMillis();
        java.util.Map<String, List<OutsidePeer>> out = new java.util.HashMap<>();
        outside.getAll(new java.util.HashSet<>(infoHashes)).forEach((hash, text) -> {
            List<OutsidePeer> peers = OutsidePeers.parse(text).peers(hash, now);
            if (!peers.isEmpty()) {
                out.put(hash, peers);
            }
        });
        return out;
    }

    private volatile long outsideCountAt;
    private volatile int outsideCount;

    @Override
    public int outsideSwarmCount() {
        long now = System.nanoTime();
        if (now - outsideCountAt > 1_000_000_000L) {
            outsideCount = outside.size(); // per-partition counts summed: no values read
            outsideCountAt = now;
        }
        return outsideCount;
    }

    @Override
    public void forgetDeparted() {
        Set<String> present = hazelcast.getCluster().getMembers().stream().map(Member::getUuid).map(UUID::toString)
                .collect(Collectors.toSet());
        for (String id : members.keySet()) {
            if (!present.contains(id)) {
                members.delete(id);
            }
        }
        readHoldingsIfDue();
        forgetHoldings(member -> !present.contains(member));
    }

    /**
     * A member left (on a Hazelcast event thread): its entry and the holdings this member's mirror knows of it go
     * now; the mirror as it is, never a whole-map read that would hold the event thread. What the mirror missed,
     * the next round's {@link #forgetDeparted} deletes.
     */
    private void forget(String memberId) {
        members.delete(memberId);
        forgetHoldings(memberId::equals);
    }

    /** Deletes the holdings of the members {@code departed} names, as this member's mirror knows them. */
    private void forgetHoldings(java.util.function.Predicate<String> departed) {
        heldByHash.forEach((hash, bySwarm) -> bySwarm.keySet().forEach(member -> {
            if (departed.test(member)) {
                holdings.delete(hash + "/" + member);
                drop(hash, member);
            }
        }));
    }
}

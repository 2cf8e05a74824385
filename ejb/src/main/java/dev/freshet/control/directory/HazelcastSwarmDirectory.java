package dev.freshet.control.directory;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
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
import java.util.stream.Collectors;

/**
 * The directory in three Hazelcast maps of JSON strings (plain strings keep application classes out of
 * the grid's class loading): {@code freshet.swarms} by info-hash, {@code freshet.members} by member id,
 * {@code freshet.holdings} by {@code infoHash/memberId}; and {@code freshet.outside-peers}, by info-hash, the clients
 * outside the cluster that announced a swarm ({@link OutsidePeers}).
 */
@ApplicationScoped
public class HazelcastSwarmDirectory implements SwarmDirectory {
    private static final System.Logger LOG = System.getLogger(HazelcastSwarmDirectory.class.getName());
    static final String SWARMS = "freshet.swarms";
    static final String MEMBERS = "freshet.members";
    static final String HOLDINGS = "freshet.holdings";
    static final String OUTSIDE = "freshet.outside-peers";
    /** A topic of recheck requests, {@code "memberId infoHash piece"}: every member hears all, acts on its own. */
    static final String RECHECKS = "freshet.rechecks";
    private static final java.util.regex.Pattern RECHECK =
            java.util.regex.Pattern.compile("([0-9a-f-]{36}) ([0-9a-f]{40}) (\\d{1,9})");

    @Inject
    HazelcastInstance hazelcast;

    private final Jsonb json = JsonbBuilder.create();
    private IMap<String, String> swarms;
    private IMap<String, String> members;
    private IMap<String, String> holdings;
    private IMap<String, String> outside;
    private UUID listener;
    private UUID recheckListener;
    private final List<UUID> newsListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
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

    /** A directory on {@code hazelcast}, outside a container (tests, tools). */
    public static HazelcastSwarmDirectory on(HazelcastInstance hazelcast) {
        HazelcastSwarmDirectory d = new HazelcastSwarmDirectory();
        d.hazelcast = hazelcast;
        d.open();
        return d;
    }

    @PostConstruct
    void open() {
        swarms = hazelcast.getMap(SWARMS);
        members = hazelcast.getMap(MEMBERS);
        holdings = hazelcast.getMap(HOLDINGS);
        outside = hazelcast.getMap(OUTSIDE);
        mirrorListener = swarms.addEntryListener(new SwarmEvents(), true);
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

    @Override
    public void onNews(Runnable whenNews) {
        // additions only: holdings are rewritten as pieces arrive, and updates would wake every node each time
        swarmNews.add(whenNews);
        newsListeners.add(holdings.addEntryListener((EntryAddedListener<String, String>) e -> whenNews.run(), false));
    }

    /** Keeps {@link #published} as the map changes (a Hazelcast event thread: the maps and this object only). */
    private final class SwarmEvents implements EntryAddedListener<String, String>,
            com.hazelcast.map.listener.EntryUpdatedListener<String, String>,
            com.hazelcast.map.listener.EntryRemovedListener<String, String>,
            com.hazelcast.map.listener.EntryEvictedListener<String, String>,
            com.hazelcast.map.listener.EntryExpiredListener<String, String>,
            com.hazelcast.map.listener.EntryMergedListener<String, String>,
            com.hazelcast.map.listener.MapClearedListener {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, String> e) {
            learn(e.getKey(), e.getValue());
            swarmNews.forEach(Runnable::run);
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> e) {
            learn(e.getKey(), e.getValue());
        }

        @Override
        public void entryMerged(com.hazelcast.core.EntryEvent<String, String> e) {
            learn(e.getKey(), e.getValue());
            swarmNews.forEach(Runnable::run);
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

    private void learn(String infoHash, String text) {
        if (text != null) {
            try {
                published.put(infoHash, new Mirrored(parsedSwarms.parse(text, PublishedSwarm.class), System.nanoTime()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Freshet ignores a directory entry it cannot read: " + infoHash);
            }
        }
    }

    @Override
    public void askRecheck(String memberId, String infoHash, int piece) {
        hazelcast.<String>getTopic(RECHECKS).publish(memberId + " " + infoHash + " " + piece);
    }

    @Override
    public void onRecheck(java.util.function.ObjIntConsumer<String> whenAsked) {
        recheckListener = hazelcast.<String>getTopic(RECHECKS).addMessageListener(message -> {
            java.util.regex.Matcher m = RECHECK.matcher(String.valueOf(message.getMessageObject()));
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
                hazelcast.getTopic(RECHECKS).removeMessageListener(recheckListener);
            }
            if (!newsListeners.isEmpty()) {
                holdings.removeEntryListener(newsListeners.get(0));
            }
            if (mirrorListener != null) {
                swarms.removeEntryListener(mirrorListener);
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
        return members.values().stream().map(s -> json.fromJson(s, MemberEntry.class)).toList();
    }

    @Override
    public void publish(PublishedSwarm swarm) {
        String earlier = swarms.putIfAbsent(swarm.infoHash(), json.toJson(swarm));
        if (earlier == null) {
            published.put(swarm.infoHash(), new Mirrored(swarm, System.nanoTime())); // seen here at once
        } else {
            learn(swarm.infoHash(), earlier);
        }
    }

    @Override
    public void unpublish(String infoHash) {
        swarms.delete(infoHash);
        published.remove(infoHash);
    }

    @Override
    public Optional<PublishedSwarm> swarm(String infoHash) {
        return Optional.ofNullable(swarms.get(infoHash)).map(s -> json.fromJson(s, PublishedSwarm.class));
    }

    /** The next {@link #swarms} reads the whole map again (tests; the list does so every 30 s by itself). */
    void forceFullRead() {
        publishedRead = false;
    }

    @Override
    public List<PublishedSwarm> swarms() {
        long now = System.nanoTime();
        if (!publishedRead || now - publishedReadAt > RESYNC_NANOS) {
            java.util.Map<String, String> all = new java.util.HashMap<>(swarms);
            all.forEach(this::learn);
            // gone from the map and learned before this read began: lost removal events
            published.entrySet().removeIf(e -> !all.containsKey(e.getKey()) && e.getValue().learnedAt() < now);
            publishedReadAt = now;
            publishedRead = true;
        }
        return published.values().stream().map(Mirrored::swarm).toList();
    }

    /**
     * Entries parsed before, by their text: every reconciliation round reads every entry, and most have not changed
     * since the last (parsing them again was most of an idle node's CPU with thousands of swarms). An entry changes
     * by a new text, so a text maps to one value; the cache starts over when it holds twice what the map does.
     */
    private final class Parsed<T> {
        private final java.util.concurrent.ConcurrentHashMap<String, T> byText = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.function.IntSupplier live;

        Parsed(java.util.function.IntSupplier live) {
            this.live = live;
        }

        T parse(String text, Class<T> type) {
            T value = byText.get(text);
            if (value == null) {
                if (byText.size() > 2 * live.getAsInt() + 64) {
                    byText.clear();
                }
                value = json.fromJson(text, type);
                byText.put(text, value);
            }
            return value;
        }
    }

    private final Parsed<PublishedSwarm> parsedSwarms = new Parsed<>(() -> published.size());
    private final Parsed<Holding> parsedHoldings = new Parsed<>(() -> holdings.size());

    @Override
    public void hold(Holding holding) {
        holdings.set(holding.infoHash() + "/" + holding.memberId(), json.toJson(holding));
    }

    @Override
    public void release(String infoHash) {
        holdings.delete(infoHash + "/" + localMemberId());
    }

    @Override
    public List<Holding> holders(String infoHash) {
        return holdings().stream().filter(h -> h.infoHash().equals(infoHash)).toList();
    }

    @Override
    public List<Holding> holdings() {
        return holdings.values().stream().map(s -> parsedHoldings.parse(s, Holding.class)).toList();
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
            String old = outside.get(infoHash);
            next = change.apply(old == null ? OutsidePeers.empty() : OutsidePeers.parse(old));
            if (next.isEmpty(now)) {
                if (old == null || outside.remove(infoHash, old)) {
                    break;
                }
            } else if (old == null) {
                if (outside.putIfAbsent(infoHash, next.text(), ttlSeconds, java.util.concurrent.TimeUnit.SECONDS) == null) {
                    break;
                }
            } else if (outside.replace(infoHash, old, next.text())) {
                outside.setTtl(infoHash, ttlSeconds, java.util.concurrent.TimeUnit.SECONDS);
                break;
            }
        }
        // after sixteen lost races with other announces of this swarm, this client is told peers all the same
        return next.peers(infoHash, now);
    }

    @Override
    public List<OutsidePeer> outsidePeers(String infoHash) {
        // one lookup by key, whatever the number of strangers tracked for other swarms
        String text = outside.get(infoHash);
        return text == null ? List.of() : OutsidePeers.parse(text).peers(infoHash, System.currentTimeMillis());
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
                forget(id);
            }
        }
        for (String key : holdings.keySet()) {
            String member = key.substring(key.indexOf('/') + 1);
            if (!present.contains(member)) {
                holdings.delete(key);
            }
        }
    }

    private void forget(String memberId) {
        members.delete(memberId);
        for (String key : holdings.keySet()) {
            if (key.endsWith("/" + memberId)) {
                holdings.delete(key);
            }
        }
    }
}

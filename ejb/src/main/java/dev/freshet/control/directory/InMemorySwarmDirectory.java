package dev.freshet.control.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.ObjIntConsumer;

/**
 * The directory in plain maps of one process, with a clock of the caller's: for tests and tools that need the
 * cluster's directory without a grid (the tracker, policies, reconciliation in milliseconds instead of a cluster of
 * Payara processes). Several directories {@link #join joined} to one {@link Grid} act as the members of one cluster;
 * {@link Grid#leave} is a member's death. It keeps the contract of {@link HazelcastSwarmDirectory} (both pass
 * {@code SwarmDirectoryContractTest}); news and recheck requests are delivered on the caller's thread. Not a CDI
 * bean: a node always runs on the grid.
 */
public final class InMemorySwarmDirectory implements SwarmDirectory {
    /** The shared state of one cluster: what Hazelcast's maps and topic hold for the real one. */
    public static final class Grid {
        private final LongSupplier clockMillis;
        private final Map<String, PublishedSwarm> swarms = new ConcurrentHashMap<>();
        private final Map<String, MemberEntry> members = new ConcurrentHashMap<>();
        private final Map<String, Holding> holdings = new ConcurrentHashMap<>();
        private final Map<String, Unpublished> unpublished = new ConcurrentHashMap<>();
        private final Map<String, Object> locks = new ConcurrentHashMap<>();
        private final Map<String, Outside> outside = new ConcurrentHashMap<>();
        private final Set<String> alive = ConcurrentHashMap.newKeySet();
        private final List<InMemorySwarmDirectory> directories = new CopyOnWriteArrayList<>();

        private record Outside(OutsidePeers peers, long expiresAt) {
        }

        private Grid(LongSupplier clockMillis) {
            this.clockMillis = clockMillis;
        }

        /** A member dies or leaves: the others see it go, as Hazelcast's membership listener makes them do. */
        public void leave(String memberId) {
            alive.remove(memberId);
            directories.removeIf(d -> d.memberId.equals(memberId));
            members.remove(memberId);
            holdings.keySet().removeIf(k -> k.endsWith("/" + memberId));
        }

        private long now() {
            return clockMillis.getAsLong();
        }
    }

    /** A cluster of no members yet, on the wall clock. */
    public static Grid grid() {
        return new Grid(System::currentTimeMillis);
    }

    /** A cluster whose entries expire by {@code clockMillis} (a test's own clock). */
    public static Grid grid(LongSupplier clockMillis) {
        return new Grid(clockMillis);
    }

    /** The directory as member {@code memberId} of {@code grid} sees it. */
    public static InMemorySwarmDirectory join(Grid grid, String memberId) {
        InMemorySwarmDirectory d = new InMemorySwarmDirectory(grid, memberId);
        grid.alive.add(memberId);
        grid.directories.add(d);
        return d;
    }

    private final Grid grid;
    private final String memberId;
    private final List<Runnable> news = new CopyOnWriteArrayList<>();
    private final List<ObjIntConsumer<String>> rechecks = new CopyOnWriteArrayList<>();

    private InMemorySwarmDirectory(Grid grid, String memberId) {
        this.grid = grid;
        this.memberId = memberId;
    }

    @Override
    public String localMemberId() {
        return memberId;
    }

    @Override
    public void announce(MemberEntry self) {
        grid.members.put(self.memberId(), self);
    }

    @Override
    public List<MemberEntry> members() {
        return List.copyOf(grid.members.values());
    }

    @Override
    public <T> Optional<T> exclusively(String key, java.util.function.Supplier<T> work) {
        synchronized (grid.locks.computeIfAbsent(key, k -> new Object())) {
            return Optional.ofNullable(work.get());
        }
    }

    @Override
    public void unpublishEverywhere(Unpublished u) {
        grid.unpublished.put(u.infoHash(), u);
        grid.swarms.remove(u.infoHash());
    }

    @Override
    public Map<String, Unpublished> unpublished() {
        return Map.copyOf(grid.unpublished);
    }

    @Override
    public boolean keepUnpublished(Unpublished u) {
        return grid.unpublished.putIfAbsent(u.infoHash(), u) == null;
    }

    @Override
    public void wantedAgain(String infoHash) {
        grid.unpublished.remove(infoHash);
    }

    @Override
    public void publish(PublishedSwarm swarm) {
        if (grid.swarms.putIfAbsent(swarm.infoHash(), swarm) == null) {
            grid.directories.forEach(d -> d.news.forEach(Runnable::run));
        }
    }

    @Override
    public void unpublish(String infoHash) {
        grid.swarms.remove(infoHash);
    }

    @Override
    public Optional<PublishedSwarm> swarm(String infoHash) {
        return Optional.ofNullable(grid.swarms.get(infoHash));
    }

    @Override
    public List<PublishedSwarm> swarms() {
        return List.copyOf(grid.swarms.values());
    }

    @Override
    public void hold(Holding holding) {
        if (grid.holdings.put(holding.infoHash() + "/" + holding.memberId(), holding) == null) {
            grid.directories.forEach(d -> d.news.forEach(Runnable::run));
        }
    }

    @Override
    public void release(String infoHash) {
        grid.holdings.remove(infoHash + "/" + memberId);
    }

    @Override
    public List<Holding> holders(String infoHash) {
        return holdings().stream().filter(h -> h.infoHash().equals(infoHash)).toList();
    }

    @Override
    public List<Holding> holdings() {
        return List.copyOf(grid.holdings.values());
    }

    @Override
    public List<OutsidePeer> recordOutsidePeer(OutsidePeer peer, int ttlSeconds) {
        long now = grid.now();
        return changeOutside(peer.infoHash(), p -> p.with(peer, now + ttlSeconds * 1000L, now), ttlSeconds, now);
    }

    @Override
    public List<OutsidePeer> forgetOutsidePeer(OutsidePeer peer) {
        long now = grid.now();
        return changeOutside(peer.infoHash(), p -> p.without(peer, now), 0, now);
    }

    private List<OutsidePeer> changeOutside(String infoHash, java.util.function.UnaryOperator<OutsidePeers> change,
                                            int ttlSeconds, long now) {
        Grid.Outside after = grid.outside.compute(infoHash, (k, old) -> {
            OutsidePeers before = old == null || old.expiresAt() <= now ? OutsidePeers.empty() : old.peers();
            OutsidePeers next = change.apply(before);
            if (next.isEmpty(now)) {
                return null;
            }
            // as the grid's entry: it lives ttlSeconds after its last change (a forget leaves the old expiry)
            return new Grid.Outside(next, ttlSeconds > 0 ? now + ttlSeconds * 1000L : old.expiresAt());
        });
        return after == null ? List.of() : after.peers().peers(infoHash, now);
    }

    @Override
    public List<OutsidePeer> outsidePeers(String infoHash) {
        long now = grid.now();
        Grid.Outside o = grid.outside.get(infoHash);
        return o == null || o.expiresAt() <= now ? List.of() : o.peers().peers(infoHash, now);
    }

    @Override
    public int outsideSwarmCount() {
        long now = grid.now();
        grid.outside.values().removeIf(o -> o.expiresAt() <= now);
        return grid.outside.size();
    }

    @Override
    public void forgetDeparted() {
        grid.members.keySet().removeIf(id -> !grid.alive.contains(id));
        grid.holdings.keySet().removeIf(k -> !grid.alive.contains(k.substring(k.indexOf('/') + 1)));
    }

    @Override
    public void onNews(Runnable whenNews) {
        news.add(whenNews);
    }

    @Override
    public void askRecheck(String memberId, String infoHash, int piece) {
        for (InMemorySwarmDirectory d : new ArrayList<>(grid.directories)) {
            if (d.memberId.equals(memberId)) {
                d.rechecks.forEach(r -> r.accept(infoHash, piece));
            }
        }
    }

    @Override
    public void onRecheck(ObjIntConsumer<String> whenAsked) {
        rechecks.add(whenAsked);
    }
}

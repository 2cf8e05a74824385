package dev.freshet.control.tracker;

import dev.freshet.control.KeyedRate;
import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.OutsidePeer;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Announce and scrape over the cluster directory (see the package doc). */
@ApplicationScoped
public class Tracker {
    /** Seconds between announces we ask of clients; an outside peer is kept for two of them. */
    public static final int INTERVAL = 60;

    /**
     * Most swarms tracked for clients outside the cluster that the cluster has not published (issue 10, case 11):
     * announces for further unknown info-hashes are refused, so that a flood of random ones cannot fill the grid.
     */
    public static final int MAX_OUTSIDE_SWARMS = 10_000;

    @Inject
    SwarmDirectory directory;

    /**
     * How often one address may announce (issue 10, case 11): 100 at once, then 20 a second, far more than any
     * client needs (one announce per swarm a minute) and far less than a flood; at most 10,000 addresses kept.
     */
    private final KeyedRate rate = new KeyedRate(100, 20, 10_000);
    private final int maxOutsideSwarms;

    public Tracker() {
        this.maxOutsideSwarms = MAX_OUTSIDE_SWARMS;
    }

    /** A tracker over {@code directory}, outside a container (tests, tools). */
    public Tracker(SwarmDirectory directory, int maxOutsideSwarms) {
        this.directory = directory;
        this.maxOutsideSwarms = maxOutsideSwarms;
    }

    /**
     * Records the announcing client and answers with peers. Swarms not published in the cluster are tracked
     * too (the client's peers are all there is): a node given only a magnet link or a .torrent whose tracker
     * is a node finds outside seeds this way.
     */
    public TrackerAnswer announce(Announce a) {
        List<MemberEntry> members = directory.knownMembers();
        boolean member = members.stream().anyMatch(m -> m.peerHost().equals(a.ip()));
        if (!member) { // the cluster's own nodes announce each of their swarms: they are not held to a client's rate
            double wait = rate.tryTake(a.ip(), System.nanoTime());
            if (wait > 0) {
                throw new TrackerRefusal("too many announces from " + a.ip() + "; try again in "
                        + (long) Math.ceil(wait) + " s");
            }
        }
        Optional<PublishedSwarm> published = directory.swarm(a.infoHash());
        published.filter(p -> !p.admits(a.auth())).ifPresent(p -> {
                    throw new TrackerRefusal("swarm " + a.infoHash() + " is private: announce with the tracker URL "
                            + "from its .torrent or magnet link (it carries the swarm's key)");
                });
        OutsidePeer me = new OutsidePeer(a.infoHash(), a.ip(), a.port(), a.left() == 0);
        List<OutsidePeer> outside;
        if (a.event().equals("stopped")) {
            outside = directory.forgetOutsidePeer(me);
        } else {
            // a swarm the cluster did not publish and no one follows yet is one more to follow: only while there is room
            if (published.isEmpty() && directory.outsideSwarmCount() >= maxOutsideSwarms
                    && directory.outsidePeers(a.infoHash()).isEmpty()) {
                throw new TrackerRefusal("this tracker follows as many swarms outside its cluster as it may ("
                        + maxOutsideSwarms + "); announce a swarm the cluster publishes");
            }
            outside = directory.recordOutsidePeer(me, 2 * INTERVAL);
        }
        Counts c = counts(a.infoHash(), members, outside);
        List<InetSocketAddress> peers = new ArrayList<>();
        if (!a.event().equals("stopped")) {
            for (MemberEntry m : c.members) {
                peers.add(new InetSocketAddress(m.peerHost(), m.peerPort()));
            }
            for (OutsidePeer p : c.outside) {
                peers.add(new InetSocketAddress(p.ip(), p.port()));
            }
            peers.removeIf(p -> p.getPort() == a.port() && p.getHostString().equals(a.ip()));
            Collections.shuffle(peers);
        }
        return new TrackerAnswer(INTERVAL, c.complete, c.incomplete, peers.subList(0, Math.min(a.numWant(), peers.size())));
    }

    /**
     * Per info-hash: complete (seeds), incomplete (leechers) and downloaded (what we know: the seeds).
     * A private swarm is listed only to a scrape carrying its key.
     */
    public Map<String, int[]> scrape(List<String> infoHashes, String auth) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String h : infoHashes) {
            Optional<PublishedSwarm> published = directory.swarm(h);
            if (published.filter(p -> !p.admits(auth)).isPresent()) {
                continue;
            }
            Counts c = counts(h, directory.knownMembers(), directory.outsidePeers(h));
            if (published.isPresent() || !c.outside.isEmpty()) {
                out.put(h, new int[] {c.complete, c.incomplete, c.complete});
            }
        }
        return out;
    }

    private record Counts(List<MemberEntry> members, List<OutsidePeer> outside, int complete, int incomplete) {
    }

    private Counts counts(String infoHash, List<MemberEntry> memberList, List<OutsidePeer> outsidePeers) {
        Map<String, MemberEntry> byId = memberList.stream()
                .collect(Collectors.toMap(MemberEntry::memberId, Function.identity(), (x, y) -> x));
        List<MemberEntry> members = new ArrayList<>();
        int complete = 0;
        int incomplete = 0;
        for (Holding h : directory.holders(infoHash)) {
            Optional<MemberEntry> m = Optional.ofNullable(byId.get(h.memberId()));
            if (m.isPresent()) {
                members.add(m.get());
                if (h.complete()) {
                    complete++;
                } else {
                    incomplete++;
                }
            }
        }
        // a node that announced to another node's tracker is listed once, as a member
        Set<String> memberAddresses = members.stream().map(m -> m.peerHost() + ":" + m.peerPort()).collect(Collectors.toSet());
        List<OutsidePeer> outside = outsidePeers.stream()
                .filter(p -> !memberAddresses.contains(p.ip() + ":" + p.port())).toList();
        for (OutsidePeer p : outside) {
            if (p.seed()) {
                complete++;
            } else {
                incomplete++;
            }
        }
        return new Counts(members, outside, complete, incomplete);
    }
}

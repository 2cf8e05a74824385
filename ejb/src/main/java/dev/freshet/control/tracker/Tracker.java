package dev.freshet.control.tracker;

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

    @Inject
    SwarmDirectory directory;

    /**
     * Records the announcing client and answers with peers. Swarms not published in the cluster are tracked
     * too (the client's peers are all there is): a node given only a magnet link or a .torrent whose tracker
     * is a node finds outside seeds this way.
     */
    public TrackerAnswer announce(Announce a) {
        directory.swarm(a.infoHash()).filter(p -> !p.admits(a.auth())).ifPresent(p -> {
                    throw new TrackerRefusal("swarm " + a.infoHash() + " is private: announce with the tracker URL "
                            + "from its .torrent or magnet link (it carries the swarm's key)");
                });
        OutsidePeer me = new OutsidePeer(a.infoHash(), a.ip(), a.port(), a.left() == 0);
        if (a.event().equals("stopped")) {
            directory.forgetOutsidePeer(me);
        } else {
            directory.recordOutsidePeer(me, 2 * INTERVAL);
        }
        Counts c = counts(a.infoHash());
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
            Counts c = counts(h);
            if (published.isPresent() || !c.outside.isEmpty()) {
                out.put(h, new int[] {c.complete, c.incomplete, c.complete});
            }
        }
        return out;
    }

    private record Counts(List<MemberEntry> members, List<OutsidePeer> outside, int complete, int incomplete) {
    }

    private Counts counts(String infoHash) {
        Map<String, MemberEntry> byId = directory.members().stream()
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
        List<OutsidePeer> outside = directory.outsidePeers(infoHash).stream()
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

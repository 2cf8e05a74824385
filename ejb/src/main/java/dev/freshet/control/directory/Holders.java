package dev.freshet.control.directory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which members to dial for a swarm: this node's office first (cheap links before slow ones), every member of it that
 * has the swarm even with no piece yet (the office shares its WAN fetches among the members it is connected to),
 * then the other offices' members that hold some of it.
 */
public final class Holders {
    private Holders() {
    }

    public static List<InetSocketAddress> peersFor(String infoHash, MemberEntry self, List<Holding> holdings,
                                                   List<MemberEntry> members) {
        Map<String, MemberEntry> byId = byId(members);
        List<MemberEntry> holders = new ArrayList<>();
        for (Holding h : holdings) {
            MemberEntry m = byId.get(h.memberId());
            if (h.infoHash().equals(infoHash) && m != null && !m.memberId().equals(self.memberId())
                    && (h.verifiedPieces() > 0 || m.office().equals(self.office()))) {
                holders.add(m);
            }
        }
        holders.sort(Comparator.comparing((MemberEntry m) -> !m.office().equals(self.office()))
                .thenComparing(MemberEntry::name));
        return holders.stream().map(m -> new InetSocketAddress(m.peerHost(), m.peerPort())).toList();
    }

    /**
     * Members still downloading a swarm, pieces or not: a private swarm's seeds must name them to their
     * engine, which takes incoming peers of a private swarm only from addresses it was given (BEP 27).
     */
    public static List<InetSocketAddress> downloadersOf(String infoHash, MemberEntry self, List<Holding> holdings,
                                                        List<MemberEntry> members) {
        Map<String, MemberEntry> byId = byId(members);
        return holdings.stream().filter(h -> h.infoHash().equals(infoHash) && !h.complete())
                .map(h -> byId.get(h.memberId())).filter(m -> m != null && !m.memberId().equals(self.memberId()))
                .map(m -> new InetSocketAddress(m.peerHost(), m.peerPort())).toList();
    }

    /**
     * The holdings by info-hash: a round with thousands of swarms looks up each swarm's few holdings instead of
     * scanning every holding of the cluster for each (10,000 swarms on 3 nodes made 3·10^8 comparisons a round).
     */
    public static Map<String, List<Holding>> byInfoHash(List<Holding> holdings) {
        Map<String, List<Holding>> out = new java.util.HashMap<>();
        for (Holding h : holdings) {
            out.computeIfAbsent(h.infoHash(), k -> new ArrayList<>(3)).add(h);
        }
        return out;
    }

    private static Map<String, MemberEntry> byId(List<MemberEntry> members) {
        return members.stream().collect(Collectors.toMap(MemberEntry::memberId, Function.identity(), (a, b) -> a));
    }
}

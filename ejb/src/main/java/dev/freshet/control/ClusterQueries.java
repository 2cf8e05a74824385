package dev.freshet.control;

import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What the cluster holds, from the directory: members, what each holds and how far, what is published. */
@ApplicationScoped
public class ClusterQueries {
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeSettings settings;
    @Inject
    dev.freshet.control.grid.GridSeal seal;

    public ClusterOverview overview() {
        String me = directory.localMemberId();
        List<Holding> holdings = directory.holdings();
        List<PublishedSwarm> published = directory.swarms();
        Map<String, String> names = published.stream().collect(Collectors.toMap(PublishedSwarm::infoHash,
                PublishedSwarm::name, (a, b) -> a));
        List<ClusterOverview.Member> members = new ArrayList<>();
        for (MemberEntry m : directory.knownMembers()) {
            List<ClusterOverview.Held> held = holdings.stream().filter(h -> h.memberId().equals(m.memberId()))
                    .map(h -> new ClusterOverview.Held(h.infoHash(), names.getOrDefault(h.infoHash(), ""),
                            h.verifiedPieces(), h.pieceCount(), h.pieceCount() == 0 ? 0
                            : (double) h.verifiedPieces() / h.pieceCount(), h.state()))
                    .sorted(Comparator.comparing(ClusterOverview.Held::name)).toList();
            String health = held.stream().anyMatch(h -> "ERROR".equals(h.state())) ? "degraded" : "up";
            members.add(new ClusterOverview.Member(m.memberId(), m.name(), m.office(), m.peerHost() + ":" + m.peerPort(),
                    m.memberId().equals(me), m.joinedAt(), health, held));
        }
        members.sort(Comparator.comparing(ClusterOverview.Member::office).thenComparing(ClusterOverview.Member::name));
        List<ClusterOverview.Published> swarms = published.stream().map(p -> {
            List<Holding> hs = holdings.stream().filter(h -> h.infoHash().equals(p.infoHash())).toList();
            return new ClusterOverview.Published(p.infoHash(), p.name(), p.totalLength(), p.policy(), p.publishedBy(),
                    hs.size(), (int) hs.stream().filter(Holding::complete).count());
        }).sorted(Comparator.comparing(ClusterOverview.Published::name)).toList();
        List<String> offices = members.stream().map(ClusterOverview.Member::office)
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
        return new ClusterOverview(me, settings.office(), offices, members, swarms, trust());
    }

    /** What this node refused from the grid and who in it has no sealed entry (cheap: for a banner's polling). */
    public ClusterOverview.Trust trust() {
        return new ClusterOverview.Trust(seal.sealingKeyId(), seal.acceptedKeyIds(), seal.refusals().stream()
                .map(r -> new ClusterOverview.Refused(r.space(), r.count(), r.lastKey(), r.reason(), r.lastAt()))
                .toList(), directory.strangers(), directory.knownMembers().stream()
                .filter(m -> m.tlsCertificate() == null || m.tlsCertificate().isBlank()).map(MemberEntry::name)
                .sorted().toList());
    }
}

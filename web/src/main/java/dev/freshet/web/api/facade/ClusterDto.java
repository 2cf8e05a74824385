package dev.freshet.web.api.facade;

import java.util.List;

/** The cluster as the API shows it (JSON), from the point of view of the node that answers. */
public record ClusterDto(String localMember, String office, List<String> offices, List<MemberDto> members,
                         List<PublishedDto> swarms, TrustDto trust) {

    /**
     * What the answering node trusts in the grid: the ids of the keys it seals with and accepts (not the secrets),
     * the entries it refused since it started (by map: how many, the last one's key, why, when), the grid's
     * members with no entry sealed by the cluster's secret, and the members whose peer traffic is not encrypted.
     */
    public record TrustDto(String sealingKey, List<String> acceptedKeys, List<RefusedDto> refused, List<String> strangers,
                           List<String> plainMembers) {
        public static TrustDto of(dev.freshet.control.ClusterOverview.Trust t) {
            return new TrustDto(t.sealingKey(), t.acceptedKeys(), t.refused().stream().map(r -> new RefusedDto(r.map(),
                    r.count(), r.lastKey(), r.reason(), r.lastAt())).toList(), t.strangers(), t.plainMembers());
        }
    }

    public record RefusedDto(String map, long count, String lastKey, String reason, long lastAt) {
    }

    /**
     * A node: where peers reach it, since when it is up, its health ({@code up}, or {@code degraded} while a
     * swarm of it is in error: the directory lists live members only) and which swarms it holds, how far.
     */
    public record MemberDto(String id, String name, String office, String peerAddress, boolean local, long joinedAt,
                            String health, List<HeldDto> swarms) {
    }

    public record HeldDto(String infoHash, String name, int verifiedPieces, int pieces, double progress, String state) {
    }

    /** A swarm published in the cluster: its policy, who published it, how many members hold it whole. */
    public record PublishedDto(String infoHash, String name, long size, String policy, String publishedBy,
                               int holders, int completeCopies) {
    }

    /** The domain's overview in the API's shape. */
    public static ClusterDto of(dev.freshet.control.ClusterOverview c) {
        return new ClusterDto(c.localMember(), c.office(), c.offices(), c.members().stream()
                .map(m -> new MemberDto(m.id(), m.name(), m.office(), m.peerAddress(), m.local(), m.joinedAt(),
                        m.health(), m.swarms().stream().map(h -> new HeldDto(h.infoHash(), h.name(),
                        h.verifiedPieces(), h.pieces(), h.progress(), h.state())).toList())).toList(),
                c.swarms().stream().map(p -> new PublishedDto(p.infoHash(), p.name(), p.size(), p.policy(),
                        p.publishedBy(), p.holders(), p.completeCopies())).toList(), TrustDto.of(c.trust()));
    }
}

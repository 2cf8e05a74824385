package dev.freshet.control;

import java.util.List;

/** The cluster as the directory knows it, from the point of view of the node that answers (the web tier shows it). */
public record ClusterOverview(String localMember, String office, List<String> offices, List<Member> members,
                          List<Published> swarms, Trust trust) {

    /**
     * What this node trusts in the grid (issue 13): the id of the key it seals with and of those it accepts (never the
     * secrets), the grid entries it refused since it started, by map, and the grid's members that have no directory
     * entry sealed by the cluster's secret (strangers: a rogue member, or a node given another secret).
     */
    /**
     * What this node trusts in the grid; {@code plainMembers}: members whose peer traffic is not encrypted (their
     * entry carries no TLS certificate: {@code freshet.peer.tls=off} there), by name.
     */
    public record Trust(String sealingKey, List<String> acceptedKeys, List<Refused> refused, List<String> strangers,
                        List<String> plainMembers) {
    }

    /** Entries of one grid map that did not open: how many, the last one's key, why, when (epoch millis). */
    public record Refused(String map, long count, String lastKey, String reason, long lastAt) {
    }

    /**
     * A node: where peers reach it, since when it is up, its health ({@code up}, or {@code degraded} while a
     * swarm of it is in error: the directory lists live members only) and which swarms it holds, how far.
     */
    public record Member(String id, String name, String office, String peerAddress, boolean local, long joinedAt,
                         String health, List<Held> swarms) {
    }

    public record Held(String infoHash, String name, int verifiedPieces, int pieces, double progress, String state) {
    }

    /** A swarm published in the cluster: its policy, who published it, how many members hold it whole. */
    public record Published(String infoHash, String name, long size, String policy, String publishedBy,
                            int holders, int completeCopies) {
    }
}

package dev.freshet.control.directory;

/**
 * One node of the cluster: its Hazelcast member id, a name for people, its office, where peers dial it, and
 * its tracker's announce URL ({@code ""} while the node does not know its own public URL), the peer id its
 * engine shows in handshakes (hex; how the other members' engines know it as one of theirs), and the SHA-256 (hex) of
 * the certificate its engine shows members over TLS ({@code ""}: it speaks plain BitTorrent with them). The entry is
 * sealed by the cluster secret: that is what makes the certificate one to trust (issue 13).
 */
public record MemberEntry(String memberId, String name, String office, String peerHost, int peerPort, long joinedAt,
                          String trackerUrl, String peerId, String tlsCertificate) {
    public MemberEntry {
        trackerUrl = trackerUrl == null ? "" : trackerUrl;
        peerId = peerId == null ? "" : peerId;
        tlsCertificate = tlsCertificate == null ? "" : tlsCertificate;
    }

    public MemberEntry withTrackerUrl(String url) {
        return new MemberEntry(memberId, name, office, peerHost, peerPort, joinedAt, url, peerId, tlsCertificate);
    }

    /**
     * The same node under the grid's new id for it: a member of the smaller side of a split cluster joins the other
     * side again under a new Hazelcast member UUID when the two merge.
     */
    public MemberEntry withMemberId(String id) {
        return new MemberEntry(id, name, office, peerHost, peerPort, joinedAt, trackerUrl, peerId, tlsCertificate);
    }

    /** Where, who and with which certificate the member's engine speaks TLS, if it does (and its entry is well-formed). */
    public java.util.Optional<dev.freshet.engine.swarm.SecureMember> secureMember() {
        if (!tlsCertificate.matches("[0-9a-f]{64}")) {
            return java.util.Optional.empty();
        }
        return enginePeerId().map(id -> new dev.freshet.engine.swarm.SecureMember(
                new java.net.InetSocketAddress(peerHost, peerPort), id, tlsCertificate));
    }

    /** The member's engine peer id, if it published a well-formed one. */
    public java.util.Optional<dev.freshet.engine.wire.PeerId> enginePeerId() {
        try {
            byte[] bytes = java.util.HexFormat.of().parseHex(peerId);
            return bytes.length == dev.freshet.engine.wire.PeerId.LENGTH
                    ? java.util.Optional.of(dev.freshet.engine.wire.PeerId.of(bytes)) : java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}

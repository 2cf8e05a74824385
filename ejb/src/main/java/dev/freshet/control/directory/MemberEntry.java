package dev.freshet.control.directory;

/**
 * One node of the cluster: its Hazelcast member id, a name for people, its office, where peers dial it, and
 * its tracker's announce URL ({@code ""} while the node does not know its own public URL), and the peer id its
 * engine shows in handshakes (hex; how the other members' engines know it as one of theirs).
 */
public record MemberEntry(String memberId, String name, String office, String peerHost, int peerPort, long joinedAt,
                          String trackerUrl, String peerId) {
    public MemberEntry {
        trackerUrl = trackerUrl == null ? "" : trackerUrl;
        peerId = peerId == null ? "" : peerId;
    }

    public MemberEntry withTrackerUrl(String url) {
        return new MemberEntry(memberId, name, office, peerHost, peerPort, joinedAt, url, peerId);
    }

    /**
     * The same node under the grid's new id for it: a member of the smaller side of a split cluster joins the other
     * side again under a new Hazelcast member UUID when the two merge.
     */
    public MemberEntry withMemberId(String id) {
        return new MemberEntry(id, name, office, peerHost, peerPort, joinedAt, trackerUrl, peerId);
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

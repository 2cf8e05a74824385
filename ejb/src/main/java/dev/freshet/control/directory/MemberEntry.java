package dev.freshet.control.directory;

/**
 * One node of the cluster: its Hazelcast member id, a name for people, its office, where peers dial it, and
 * its tracker's announce URL ({@code ""} while the node does not know its own public URL).
 */
public record MemberEntry(String memberId, String name, String office, String peerHost, int peerPort, long joinedAt,
                          String trackerUrl) {
    public MemberEntry {
        trackerUrl = trackerUrl == null ? "" : trackerUrl;
    }

    public MemberEntry withTrackerUrl(String url) {
        return new MemberEntry(memberId, name, office, peerHost, peerPort, joinedAt, url);
    }
}

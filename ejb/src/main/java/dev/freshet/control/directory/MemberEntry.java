package dev.freshet.control.directory;

/** One node of the cluster: its Hazelcast member id, a name for people, its office and where peers dial it. */
public record MemberEntry(String memberId, String name, String office, String peerHost, int peerPort, long joinedAt) {
}

/**
 * What the whole cluster knows, shared by every node through Payara's Hazelcast data grid: the published
 * swarms (with their metainfo, so any node serves the {@code .torrent}), which member holds how much of
 * which swarm, and each member's office and peer address. {@link dev.freshet.control.directory.SwarmDirectory}
 * is the port; {@link dev.freshet.control.directory.HazelcastSwarmDirectory} the implementation. Every node
 * writes only its own member and holding entries, so no entry has two writers; entries of members that
 * left are removed by whichever node notices first.
 */
package dev.freshet.control.directory;

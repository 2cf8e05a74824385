package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Who may join one swarm: an incoming connection is refused while the swarm does not run, when its address is
 * banned, or (BEP 27) when the swarm is private and nobody named its address; a connection whose handshake arrived
 * gets a slot, free or taken from the connection that proved least useful, and a member of this node's cluster
 * takes any outsider's (issue 10, case 4). Owned by the network thread.
 */
final class PeerAdmission {
    private static final int MAX_ADMITTED = 4096;

    private final NetworkLoop loop;
    private final InfoHash infoHash;
    private final boolean privateSwarm;
    private final PeerBans bans;
    private final List<PeerConnection> connections;
    private final BooleanSupplier running;
    /** BEP 27: the addresses a private swarm's owner or trackers named, the most recent last. */
    private final LinkedHashSet<InetAddress> admitted = new LinkedHashSet<>();

    PeerAdmission(NetworkLoop loop, InfoHash infoHash, boolean privateSwarm, PeerBans bans,
                  List<PeerConnection> connections, BooleanSupplier running) {
        this.loop = loop;
        this.infoHash = infoHash;
        this.privateSwarm = privateSwarm;
        this.bans = bans;
        this.connections = connections;
        this.running = running;
    }

    /** Why an incoming connection is refused at its first bytes, or null when its handshake may go on. */
    String refusal(PeerConnection c) {
        if (!running.getAsBoolean()) {
            return "swarm " + infoHash + " is not running";
        }
        if (bans.isBanned(c.remote())) {
            return "banned from swarm " + infoHash;
        }
        if (privateSwarm && (c.remote().getAddress() == null || !admitted.contains(c.remote().getAddress()))) {
            return "private swarm " + infoHash + " takes peers only from its own trackers, and "
                    + c.remote().getHostString() + " is not one of them";
        }
        return null;
    }

    /**
     * Finds a slot for a connection whose handshake arrived: free, or taken from the connection that proved
     * least useful (no block either way for {@code evictIdleAfter}, longest idle first). A peer of this node's
     * own cluster takes the slot of any outsider, so that outsiders holding every slot cannot starve the
     * cluster's replication (issue 10, case 4). A peer of this node's own office takes the slot of any peer across
     * the WAN, of the cluster or not: the office's pieces cross its link once and spread over the LAN, and that
     * needs the office's members connected to one another (before, a member full of other offices' peers, which
     * are cluster members too and never evicted, refused an office mate for good). False when there is no room.
     */
    boolean makeRoom(PeerConnection c) {
        if (connections.size() < loop.config().maxPeersPerSwarm()) {
            return true;
        }
        long idle = c.isClusterMember() ? -1 : loop.config().evictIdleAfter().toNanos();
        PeerConnection victim = c.inOffice() ? PeerConnection.leastUsefulAcrossWan(connections)
                : PeerConnection.leastUseful(connections, loop.now(), idle);
        if (victim == null) {
            return false;
        }
        loop.close(victim, c.inOffice() ? "slot given to a peer of this office" : c.isClusterMember()
                ? "slot given to a peer of this cluster" : "idle: slot given to a new peer");
        return true;
    }

    /**
     * BEP 27: a private swarm talks only to peers its owner or its trackers named; an incoming connection
     * is taken from their addresses only (by IP: a client connects from another port than it listens on).
     */
    void admit(InetSocketAddress peer) {
        if (privateSwarm && peer.getAddress() != null) {
            admitted.remove(peer.getAddress());
            admitted.add(peer.getAddress());
            if (admitted.size() > MAX_ADMITTED) {
                admitted.remove(admitted.iterator().next());
            }
        }
    }
}

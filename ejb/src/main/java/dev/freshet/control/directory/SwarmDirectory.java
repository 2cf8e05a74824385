package dev.freshet.control.directory;

import java.util.List;
import java.util.Optional;

/** The cluster-wide directory (see the package doc). Every method may be called from any thread. */
public interface SwarmDirectory {
    /** This node's member id (stable while it runs). */
    String localMemberId();

    /** Publishes or refreshes this node's own member entry. */
    void announce(MemberEntry self);

    /** The members' entries, read from the grid now (it may wait for members that do not answer). */
    List<MemberEntry> members();

    /**
     * The members' entries for what a node does on its own (its swarm views, a publication's tracker list, the
     * tracker): read now when the grid answers within a bounded wait, else as this node read them last (every
     * reconciliation round reads them). A member that does not answer, beyond a link that just went down, must not
     * make those wait long or fail.
     */
    default List<MemberEntry> knownMembers() {
        return members();
    }

    /**
     * Members of the grid that have no directory entry this node can trust (issue 13): a member without the cluster
     * secret, or one not announced yet. Empty where the directory has no grid.
     */
    default List<String> strangers() {
        return List.of();
    }

    /** Publishes a swarm unless it is already published (the first publication's policy stays). */
    void publish(PublishedSwarm swarm);

    /** Takes a swarm out of the directory: nodes no longer pick it up by policy. */
    void unpublish(String infoHash);

    Optional<PublishedSwarm> swarm(String infoHash);

    List<PublishedSwarm> swarms();

    /**
     * Takes a swarm out of the whole cluster: records {@code unpublished} (nodes remove their copies and publish it no
     * more) and takes its directory entry away, in that order (a node that finds the entry gone finds the reason).
     */
    void unpublishEverywhere(Unpublished unpublished);

    /** The swarms taken out of the cluster, by info-hash. */
    java.util.Map<String, Unpublished> unpublished();

    /**
     * Puts back {@code unpublished}, which a node recorded, where the grid has no entry for that swarm (a cluster that
     * restarted whole starts with none); an entry there stands. Answers whether it was put back.
     */
    boolean keepUnpublished(Unpublished unpublished);

    /** The swarm is wanted again (published anew): its {@link Unpublished} entry goes. */
    void wantedAgain(String infoHash);

    /**
     * Runs {@code work} while this member alone in the cluster holds the lock named {@code key} (for a decision that
     * reads the directory and must not race another member's, as giving up a copy); empty when the lock was not had
     * within a few seconds. A member that dies holding it lets it go after a minute at most.
     */
    <T> Optional<T> exclusively(String key, java.util.function.Supplier<T> work);

    /** Publishes this node's holding of a swarm (replacing its previous one). */
    void hold(Holding holding);

    /** Publishes this node's holdings that changed, in one go (a reconciliation round's). */
    default void holdAll(java.util.Collection<Holding> changed) {
        changed.forEach(this::hold);
    }

    /** This node no longer holds the swarm. */
    void release(String infoHash);

    /**
     * The members' holdings of one swarm, read from the grid now: for decisions that must not act on a view a
     * moment old (whether a copy is the last one of an office).
     */
    List<Holding> holders(String infoHash);

    /** Every holding of every swarm as this member last heard of them (kept by the grid's events). */
    List<Holding> holdings();

    /**
     * Records (or refreshes) an outside client's announce; it is forgotten after {@code ttlSeconds}. Answers the
     * swarm's outside clients with it.
     */
    List<OutsidePeer> recordOutsidePeer(OutsidePeer peer, int ttlSeconds);

    /** Forgets an outside client (it stopped); answers the swarm's outside clients left. */
    List<OutsidePeer> forgetOutsidePeer(OutsidePeer peer);

    /** The outside clients of one swarm that announced lately; a lookup by key, whatever else is tracked. */
    List<OutsidePeer> outsidePeers(String infoHash);

    /**
     * {@link #outsidePeers(String)} of many swarms at once (a reconciliation round asks for every swarm it runs): only
     * swarms that have outside peers are in the answer.
     */
    default java.util.Map<String, List<OutsidePeer>> outsidePeers(java.util.Collection<String> infoHashes) {
        java.util.Map<String, List<OutsidePeer>> out = new java.util.HashMap<>();
        for (String hash : infoHashes) {
            List<OutsidePeer> peers = outsidePeers(hash);
            if (!peers.isEmpty()) {
                out.put(hash, peers);
            }
        }
        return out;
    }

    /** About how many swarms have outside clients recorded (may lag by a second). */
    int outsideSwarmCount();

    /** Removes member and holding entries of members that are no longer in the cluster. */
    void forgetDeparted();

    /**
     * Calls {@code whenNews} (on a grid thread: it must only hand the work on) when a swarm is published or a
     * member starts holding a swarm, so nodes act at once instead of at their next reconciliation round.
     */
    void onNews(Runnable whenNews);

    /**
     * Asks member {@code memberId} to hash piece {@code piece} of a swarm again: a piece fetched (partly) from it
     * failed here, so its copy may have rotted. Fire and forget: a member that has gone, or no longer holds the
     * swarm, ignores it.
     */
    void askRecheck(String memberId, String infoHash, int piece);

    /**
     * Calls {@code whenAsked} (on a grid thread: it must only hand the work on) with the info-hash (lower-case hex)
     * and piece of each recheck another member asks of this node. Malformed requests are dropped before.
     */
    void onRecheck(java.util.function.ObjIntConsumer<String> whenAsked);
}

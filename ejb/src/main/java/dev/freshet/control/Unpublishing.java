package dev.freshet.control;

import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.control.directory.Unpublished;
import dev.freshet.engine.metainfo.InfoHash;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * Taking a swarm out of the whole cluster (issue 14, admin only): an {@link Unpublished} entry in the grid, the
 * swarm's directory entry gone, and every node that holds it removes it, at once or at its next reconciliation round
 * (a node that was away, when it comes back). A node deletes the data it keeps in its own data directory (what it
 * fetched, an upload); files a publisher published from a server path are the user's and stay where they are.
 * Crash-safe in that order: the catalog says "removed" before the data goes, and a start finishes a deletion a kill
 * interrupted.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Unpublishing {
    private static final System.Logger LOG = System.getLogger(Unpublishing.class.getName());

    @EJB
    Catalog catalog;
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeSettings settings;
    @Inject
    EngineSnapshot snapshot;
    @Inject
    DroppedCopies copies;

    /**
     * Takes {@code infoHash} out of the cluster on behalf of {@code by}; answers what was recorded. Unknown to the
     * cluster (neither published nor held here): {@link SwarmNotFoundException}.
     */
    public Unpublished unpublish(String infoHash, String by) {
        String hash = normalize(infoHash);
        String name = directory.swarm(hash).map(p -> p.name())
                .or(() -> catalog.find(hash).filter(r -> !r.removed()).map(SwarmRecord::name))
                .orElseThrow(() -> new SwarmNotFoundException("no swarm " + hash + " is published in the cluster or "
                        + "held on this node"));
        Unpublished u = new Unpublished(hash, name, by, System.currentTimeMillis());
        directory.unpublishEverywhere(u);
        LOG.log(System.Logger.Level.INFO, "Freshet: {0} took {1} ({2}) out of the cluster", by, name, hash);
        apply(Map.of(hash, u)); // this node at once; the others at their next round
        return u;
    }

    /** The swarms taken out of the cluster, newest first. */
    public java.util.List<Unpublished> all() {
        return directory.unpublished().values().stream().sorted(Comparator.comparingLong(Unpublished::at).reversed())
                .toList();
    }

    /**
     * Removes every swarm held here that {@code unpublished} names; answers how many. A copy added here after the
     * unpublication (published or added anew by a person) is wanted again: it stays, and so does its directory entry;
     * an unpublication still in the grid then is one a node put back after a whole restart ({@link #restoreKept}),
     * and it goes.
     */
    public int apply(Map<String, Unpublished> unpublished) {
        if (unpublished.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (SwarmRecord r : catalog.active()) {
            Unpublished u = unpublished.get(r.infoHash());
            if (u == null) {
                continue;
            }
            if (r.addedAt() == null || r.addedAt().toEpochMilli() <= u.at()) {
                remove(r, u);
                n++;
            } else {
                directory.wantedAgain(r.infoHash());
                LOG.log(System.Logger.Level.INFO, "Freshet: {0} ({1}) was added here after it was taken out of the "
                        + "cluster; it is wanted again", r.name(), r.infoHash());
            }
        }
        // put back by a node that had not heard yet (an entry from before the unpublication): it goes again (the
        // directory's own mirror, no grid read per entry)
        directory.swarms().stream().filter(p -> unpublished.containsKey(p.infoHash())
                        && p.publishedAt() <= unpublished.get(p.infoHash()).at())
                .map(p -> p.infoHash()).forEach(directory::unpublish);
        return n;
    }

    /**
     * At start, before this node applies the grid's unpublications and publishes its own swarms: the unpublications
     * it recorded (copies it removed because an admin took a swarm out) go back to the grid where it has none. The
     * grid lives in memory: a cluster that restarted whole has forgotten them, and a node that was away when a swarm
     * went would publish its copy again and every node would fetch it. Not one the swarm was wanted again after: the
     * directory holds a publication newer than it (a node publishes again under its first time, {@code addedAt}).
     * Answers how many went back.
     */
    public int restoreKept() {
        java.util.List<Catalog.Unpublication> kept = catalog.unpublications();
        if (kept.isEmpty()) {
            return 0;
        }
        Map<String, Unpublished> inGrid = directory.unpublished();
        Map<String, Long> publishedAt = new java.util.HashMap<>();
        directory.swarms().forEach(p -> publishedAt.put(p.infoHash(), p.publishedAt()));
        int n = 0;
        for (Catalog.Unpublication k : kept) {
            long at = k.at().toEpochMilli();
            if (inGrid.containsKey(k.infoHash()) || publishedAt.getOrDefault(k.infoHash(), Long.MIN_VALUE) > at) {
                continue;
            }
            if (directory.keepUnpublished(new Unpublished(k.infoHash(), k.name(), k.by(), at))) {
                n++;
            }
        }
        if (n > 0) {
            LOG.log(System.Logger.Level.INFO, "Freshet put back {0} swarms taken out of the cluster that the grid had "
                    + "forgotten (a restart of the whole cluster)", n);
        }
        return n;
    }

    private void remove(SwarmRecord r, Unpublished u) {
        boolean ours = ownsData(r);
        copies.drop(r, rec -> rec.unpublish(u.by(), Instant.ofEpochMilli(u.at()), ours), ours);
        snapshot.invalidate();
        LOG.log(System.Logger.Level.INFO, "Freshet removed {0} ({1}): taken out of the cluster by {2}{3}", r.name(),
                r.infoHash(), u.by(), ours ? "" : "; its files stay in " + r.savePath() + " (published from there)");
    }

    /**
     * At start: swarms removed by an unpublication or by retention whose data a kill left behind (the catalog said
     * removed, the files had not gone yet) lose it now.
     */
    public void finishInterrupted() {
        for (String hash : catalog.droppedInfoHashes()) {
            catalog.find(hash).filter(r -> r.removed() && ownsData(r)).map(r -> Path.of(r.savePath()))
                    .filter(Files::exists).ifPresent(dir -> {
                        LOG.log(System.Logger.Level.INFO, "Freshet deletes what is left of unpublished swarm {0} in {1}",
                                hash, dir);
                        DroppedCopies.deleteTree(dir);
                    });
        }
    }

    /** Data in a save directory of the node's own ({@link NodeSettings#isOwnSaveDir}) is Freshet's to delete. */
    private boolean ownsData(SwarmRecord r) {
        return settings.isOwnSaveDir(r.infoHash(), Path.of(r.savePath()));
    }

    private static String normalize(String infoHash) {
        try {
            return InfoHash.fromHex(infoHash).hex();
        } catch (RuntimeException e) {
            throw new InvalidRequestException("'" + infoHash + "' is not an info-hash: 40 hexadecimal digits");
        }
    }
}

package dev.freshet.control;

import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.UnknownSwarmException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How this node gives up a copy the cluster decided it should not keep (an unpublication, retention), crash-safe in
 * this order: the catalog row is marked first (a kill after that is finished at the next start,
 * {@link Unpublishing#finishInterrupted}), then the engine drops the swarm, then the holding leaves the directory, and
 * only then, when the data is Freshet's own, its files and directory go. Never the other way round: a node killed
 * between its data going and its holding leaving would be counted as a complete copy (by another node deciding
 * whether it may give up its own) while it has none. {@code UnpublishIT} kills a node just after the mark
 * ({@link CrashPoints}) and shows the next start finishing the rest.
 */
@ApplicationScoped
public class DroppedCopies {
    private static final System.Logger LOG = System.getLogger(DroppedCopies.class.getName());

    @EJB
    Catalog catalog;
    @Inject
    NodeEngine engine;
    @Inject
    SwarmDirectory directory;

    /** Drops {@code r}'s copy: {@code mark} records why in its catalog row; {@code deleteData}: its save directory goes. */
    public void drop(SwarmRecord r, Consumer<SwarmRecord> mark, boolean deleteData) {
        catalog.update(r.infoHash(), mark);
        CrashPoints.reached("drop:after-mark");
        try {
            engine.run(c -> c.remove(InfoHash.fromHex(r.infoHash()), deleteData));
        } catch (UnknownSwarmException gone) {
            // not running in the engine (it failed to start): the record was what was left
        }
        directory.release(r.infoHash());
        if (deleteData) {
            deleteTree(Path.of(r.savePath()));
        }
    }

    /** Deletes {@code dir} and everything under it (links not followed); what cannot go is reported and stays. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet could not delete all of " + dir + ": " + e.getMessage());
        }
    }
}

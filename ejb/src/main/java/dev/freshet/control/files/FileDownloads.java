package dev.freshet.control.files;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.NodeEngine;
import dev.freshet.control.Publishing;
import dev.freshet.control.SwarmConflictException;
import dev.freshet.control.SwarmNotFoundException;
import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.SafePath;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A swarm's files for HTTP clients (issue 17): the file of a swarm this node holds, or of one published in the
 * cluster that this node then starts fetching (on demand: whatever its policy), read through a {@link FileSource}
 * that gives out verified bytes only. N clients of one office asking their office's node cost the WAN one copy.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FileDownloads {
    private static final System.Logger LOG = System.getLogger(FileDownloads.class.getName());

    /** One lock per swarm being started on demand (the bean pool has many instances; the lock is the node's). */
    private static final java.util.concurrent.ConcurrentMap<String, Object> STARTING =
            new java.util.concurrent.ConcurrentHashMap<>();

    @EJB
    Catalog catalog;
    @EJB
    Publishing publishing;
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeEngine engine;
    @jakarta.ejb.EJB
    dev.freshet.control.RetentionJob retention;

    /**
     * File {@code path} (components joined with {@code /}, as the swarm's {@code files} list them) of swarm
     * {@code infoHash}. Not held here but published in the cluster: this node starts fetching it, and the source's
     * bytes come as its pieces are verified.
     *
     * @throws InvalidRequestException  a malformed info-hash or a path with empty, {@code .} or {@code ..} components
     * @throws SwarmNotFoundException   no such swarm here or in the cluster, or no such file in it
     * @throws SwarmConflictException   the swarm is paused here and the file is not complete
     */
    public FileSource open(String infoHash, String path) {
        String hash = requireInfoHash(infoHash);
        requirePath(path);
        Optional<SwarmRecord> held = catalog.find(hash).filter(r -> !r.removed());
        if (held.isEmpty()) {
            PublishedSwarm published = directory.swarm(hash).orElseThrow(() -> new SwarmNotFoundException(
                    "no swarm " + hash + " on this node or published in the cluster"));
            fileIndex(published.verify(hash), path, hash); // no fetch for a file that is not there
            // clients asking for the same swarm at once start one fetch: one at a time per swarm, the others find it
            synchronized (STARTING.computeIfAbsent(hash, h -> new Object())) {
                try {
                    held = catalog.find(hash).filter(r -> !r.removed());
                    if (held.isEmpty()) {
                        publishing.fetchPublished(published, List.of()); // holders come with the next reconciliation
                        LOG.log(System.Logger.Level.INFO, "Freshet fetches {0} ({1}) for an HTTP download of {2}",
                                published.name(), hash, path);
                        held = catalog.find(hash).filter(r -> !r.removed());
                    }
                } finally {
                    STARTING.remove(hash);
                }
            }
        }
        SwarmRecord r = held.orElseThrow(() -> new SwarmNotFoundException("no swarm " + hash + " on this node"));
        retention.usedNow(hash); // an HTTP download is a use: retention gives up the least recently used copies first
        Metainfo m = Metainfo.parse(r.torrent());
        int f = fileIndex(m, path, hash);
        PieceLayout layout = new PieceLayout(m.info());
        long start = 0;
        for (int i = 0; i < f; i++) {
            start += layout.fileLength(i);
        }
        BitSet verified = engine.call(c -> c.status(InfoHash.fromHex(hash))).map(SwarmStatus::verified)
                .orElseGet(r::verifiedPieces);
        FileEntry file = m.info().files().get(f);
        FileSource source = new FileSource(engine, InfoHash.fromHex(hash), file.displayPath(), f, file.length(), start,
                layout.pieceLength(), SafePath.resolve(Path.of(r.savePath()), file.path()), verified);
        if (r.paused() && !source.complete()) {
            throw new SwarmConflictException("swarm " + hash + " is paused on this node and " + path
                    + " is not complete here: resume it (POST /api/swarms/" + hash + "/resume) to fetch the rest");
        }
        return source;
    }

    private static int fileIndex(Metainfo m, String path, String hash) {
        List<FileEntry> files = m.info().files();
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).displayPath().equals(path)) {
                return i;
            }
        }
        throw new SwarmNotFoundException("swarm " + hash + " has no file " + path + " (its files: GET /api/swarms/"
                + hash + ", field files)");
    }

    private static String requireInfoHash(String infoHash) {
        if (infoHash == null || !infoHash.matches("[0-9a-fA-F]{40}")) {
            throw new InvalidRequestException("'" + infoHash + "' is not an info-hash (40 hexadecimal digits)");
        }
        return infoHash.toLowerCase(java.util.Locale.ROOT);
    }

    private static void requirePath(String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidRequestException("no file named: /files/{infoHash}/{path of a file in the swarm}");
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new InvalidRequestException("a file's path has no empty, '.' or '..' components: " + path);
            }
        }
    }
}

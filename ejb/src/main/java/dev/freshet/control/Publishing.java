package dev.freshet.control;

import dev.freshet.adapter.api.TorrentSpec;
import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.AnnounceKey;
import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.MagnetLink;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.MetainfoException;
import dev.freshet.engine.swarm.SwarmOptions;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a swarm comes to this node: published from a server path or an upload, added from a {@code .torrent} or a
 * magnet link, or fetched because its policy says so. Each answers the swarm's info-hash (lower-case hex); it then runs in the engine,
 * is recorded in the catalog and published in the directory. Not transactional itself (hashing a large artifact
 * outlasts any transaction); each catalog call is its own transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Publishing {
    private static final System.Logger LOG = System.getLogger(Publishing.class.getName());

    @EJB
    Catalog catalog;
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeEngine engine;
    @Inject
    NodeSettings settings;
    @Inject
    Publications publications;
    @Inject
    EngineSnapshot snapshot;
    @Inject
    dev.freshet.control.directory.DirectoryCalls directoryCalls;

    /**
     * What a publication came to: the info-hash when hashing was done within the call, else the id of the
     * publication hashing in the background ({@link #runJob}), whose record says how far it is.
     */
    public record Outcome(String infoHash, String jobId) {
        public static Outcome done(String infoHash) {
            return new Outcome(infoHash, null);
        }

        public static Outcome started(String jobId) {
            return new Outcome(null, jobId);
        }
    }

    @Inject
    PublicationJobs jobs;

    /** Publishes a file or directory on this machine; it must lie under one of {@code freshet.publish.roots}. */
    public Outcome publishPath(String path, PublishOptions options) {
        if (path == null || path.isBlank()) {
            throw new InvalidRequestException("'path' is missing: give the absolute server path of a file or directory "
                    + "under one of the publish roots");
        }
        if (settings.publishRoots().isEmpty()) {
            throw new PublishRefusedException("this node publishes no server paths: freshet.publish.roots is not set");
        }
        Path asked = Path.of(path);
        if (!asked.isAbsolute()) {
            throw new InvalidRequestException("'" + path + "' is not an absolute path");
        }
        Path normal = asked.normalize();
        if (settings.publishRoots().stream().noneMatch(normal::startsWith)) {
            throw new PublishRefusedException("'" + path + "' is outside the publish roots of this node "
                    + settings.publishRoots());
        }
        Path real;
        try {
            real = normal.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException("'" + path + "' does not exist on this node");
        } catch (IOException e) {
            throw new InvalidRequestException("'" + path + "' cannot be read: " + e.getMessage());
        }
        if (settings.publishRoots().stream().map(Publishing::realOrSelf).noneMatch(real::startsWith)) {
            throw new PublishRefusedException("'" + path + "' leads outside the publish roots through a symbolic link");
        }
        return publish(real, options, List.of(), false, null);
    }

    /**
     * Stores an uploaded file, as its bytes arrive, in a directory of its own under the uploads directory, and
     * answers where. At most {@code freshet.upload.max-bytes} are taken; a failure leaves nothing behind. The caller
     * then {@link #publishReceived publishes} it or {@link #discardUpload discards} it.
     */
    public Path receiveUpload(String fileName, InputStream content) {
        return receiveUpload(fileName, content, -1);
    }

    /**
     * As above, and when about how large it is known ({@code expectedSize}: a request's or an origin's
     * Content-Length; -1 unknown), its pieces are hashed as the bytes go by, at the piece length that size gets
     * automatically: publishing it then reads nothing again ({@link StreamedPieces}).
     */
    public Path receiveUpload(String fileName, InputStream content, long expectedSize) {
        String name = fileName == null ? "" : Path.of(fileName.replace('\\', '/')).getFileName() == null ? ""
                : Path.of(fileName.replace('\\', '/')).getFileName().toString();
        if (name.isBlank() || name.equals("..") || name.equals(".") || name.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidRequestException("the uploaded part 'file' needs a file name (Content-Disposition filename)");
        }
        Path dir = settings.uploadsDir().resolve(Instant.now().toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Path target = dir.resolve(name);
        long limit = settings.maxUploadBytes();
        try {
            Files.createDirectories(dir);
            StreamedPieces pieces = expectedSize > 0
                    ? new StreamedPieces(dev.freshet.engine.create.TorrentCreator.autoPieceLength(expectedSize)) : null;
            long total = 0;
            try (InputStream bounded = content; var out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = bounded.read(buffer)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw new UploadTooLargeException("the upload is larger than this node takes ("
                                + limit + " bytes, freshet.upload.max-bytes)");
                    }
                    out.write(buffer, 0, n);
                    if (pieces != null) {
                        pieces.update(buffer, n);
                    }
                }
            }
            if (pieces != null && total > 0) {
                pieces.finish(total).store(dir.resolve(StreamedPieces.FILE));
            }
            return target;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot store the upload in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * Publishes an artifact fetched from an HTTP(S) origin (an Artifactory or Nexus download, an object store's URL),
     * stored as it arrives like an upload and then hashed; the torrent names the URL as a web seed (BEP 19
     * {@code url-list}), so that any client can fall back to the origin. Only origins {@link OriginGuard} lets
     * through; redirects only to the same origin (at most 5); the body must be exactly as long as the origin said.
     *
     * @throws OriginFailedException the origin did not answer, answered an error, or sent other than it said (502)
     */
    public Outcome publishUrl(String url, PublishOptions options) {
        policyOr(options.policy(), Policy.ALL); // a bad policy is refused before anything is fetched
        OriginGuard guard = new OriginGuard(settings.urlHosts(), settings.urlAllowLoopback(),
                java.net.InetAddress::getAllByName);
        java.net.URI origin = guard.check(url);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .connectTimeout(java.time.Duration.ofSeconds(10)).build();
        java.net.URI at = origin;
        try {
            for (int hop = 0; ; hop++) {
                java.net.http.HttpResponse<InputStream> r = client.send(java.net.http.HttpRequest.newBuilder(at)
                        .timeout(java.time.Duration.ofSeconds(30)).header("User-Agent", "Freshet").GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                int status = r.statusCode();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    r.body().close();
                    java.net.URI next = at.resolve(r.headers().firstValue("Location").orElseThrow(() ->
                            new OriginFailedException("the origin redirects without a Location")));
                    if (hop >= 5) {
                        throw new OriginFailedException("the origin redirects more than 5 times: " + url);
                    }
                    if (!OriginGuard.sameOrigin(origin, next)) {
                        throw new PublishRefusedException("the origin redirects to another host (" + next.getScheme()
                                + "://" + next.getHost() + (next.getPort() >= 0 ? ":" + next.getPort() : "")
                                + "): refused");
                    }
                    at = guard.check(next.toString());
                    continue;
                }
                if (status != 200) {
                    r.body().close();
                    throw new OriginFailedException("the origin answered " + status + " for " + at);
                }
                long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                Path received;
                try (InputStream body = r.body()) {
                    received = receiveUpload(fileNameOf(origin), body, declared);
                } catch (UncheckedIOException e) {
                    throw new OriginFailedException("the origin's download broke off: " + e.getCause().getMessage(), e);
                }
                long got = Files.size(received);
                if (declared >= 0 && got != declared) {
                    discardUpload(received);
                    throw new OriginFailedException("the origin said " + declared + " bytes and sent " + got);
                }
                return publishReceived(received, options, List.of(origin.toString()));
            }
        } catch (IOException e) {
            throw new OriginFailedException("cannot fetch " + at + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OriginFailedException("interrupted while fetching " + at, e);
        }
    }

    /** The URL's last path segment as a file name, or {@code download}. */
    private static String fileNameOf(java.net.URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() || last.equals(".") || last.equals("..") ? "download" : last;
    }

    /**
     * The SHA-1 of each piece of an upload, taken as its bytes arrived (one pass over the data, memory of one
     * piece's digest), kept beside the upload as {@value #FILE} until it is published. Valid for the piece length it
     * was taken at, if that is the one the torrent gets.
     */
    static final class StreamedPieces {
        static final String FILE = ".freshet-pieces";
        private final int pieceLength;
        private final java.io.ByteArrayOutputStream hashes = new java.io.ByteArrayOutputStream();
        private final java.security.MessageDigest sha1;
        private long inPiece;
        private long total;

        StreamedPieces(int pieceLength) {
            this.pieceLength = pieceLength;
            try {
                sha1 = java.security.MessageDigest.getInstance("SHA-1");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void update(byte[] b, int n) {
            int off = 0;
            while (off < n) {
                int take = (int) Math.min(n - off, pieceLength - inPiece);
                sha1.update(b, off, take);
                off += take;
                inPiece += take;
                if (inPiece == pieceLength) {
                    hashes.writeBytes(sha1.digest());
                    inPiece = 0;
                }
            }
        }

        StreamedPieces finish(long size) {
            if (inPiece > 0) {
                hashes.writeBytes(sha1.digest());
                inPiece = 0;
            }
            total = size;
            return this;
        }

        void store(Path file) throws IOException {
            try (var out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
                out.writeInt(pieceLength);
                out.writeLong(total);
                out.write(hashes.toByteArray());
            }
        }

        /**
         * The checkpoint of a received file: all its pieces, if they were hashed at {@code pieceLength} (0: the
         * automatic one) over exactly its present size; else none (it is hashed as any file).
         */
        static dev.freshet.engine.create.TorrentCreator.Checkpoint of(Path received, int pieceLength) {
            Path file = received.getParent().resolve(FILE);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            try (var in = new java.io.DataInputStream(Files.newInputStream(file))) {
                int pl = in.readInt();
                long size = in.readLong();
                byte[] hashes = in.readAllBytes();
                long count = (size + pl - 1) / pl;
                int wanted = pieceLength != 0 ? pieceLength : dev.freshet.engine.create.TorrentCreator.autoPieceLength(size);
                if (pl != wanted || size != Files.size(received) || hashes.length != count * 20) {
                    return null;
                }
                java.util.BitSet all = new java.util.BitSet((int) count);
                all.set(0, (int) count);
                return new dev.freshet.engine.create.TorrentCreator.Checkpoint(pl, hashes, all);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** Publishes a file {@link #receiveUpload received}; one that is refused (held already, not valid) is removed. */
    public Outcome publishReceived(Path received, PublishOptions options) {
        return publishReceived(received, options, List.of());
    }

    /** As above, the torrent naming {@code webSeeds} (BEP 19). */
    private Outcome publishReceived(Path received, PublishOptions options, List<String> webSeeds) {
        Path dir = uploadDirOf(received);
        Outcome outcome;
        try {
            policyOr(options.policy(), Policy.ALL);
            outcome = publish(received, options, webSeeds, true, StreamedPieces.of(received, options.pieceLength()));
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
        try {
            Files.deleteIfExists(dir.resolve(StreamedPieces.FILE)); // used up (a job keeps its own checkpoint)
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot remove " + dir.resolve(StreamedPieces.FILE), e);
        }
        return outcome;
    }

    /** Removes a file {@link #receiveUpload received} that will not be published (the rest of its request was bad). */
    public void discardUpload(Path received) {
        deleteQuietly(uploadDirOf(received));
    }

    /** The upload's own directory; anything else is refused (the path comes back from the web tier). */
    private Path uploadDirOf(Path received) {
        Path uploads = settings.uploadsDir().toAbsolutePath().normalize();
        Path dir = received.toAbsolutePath().normalize().getParent();
        if (dir == null || !uploads.equals(dir.getParent())) {
            throw new IllegalArgumentException(received + " is not an upload");
        }
        return dir;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "Freshet cannot delete " + p + ": " + e.getMessage());
                }
            });
        } catch (NoSuchFileException gone) {
            // nothing was stored
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot delete " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Publishes {@code source}: hashed within the call when it is small ({@link NodeSettings#publishAsyncBytes}),
     * else recorded as a publication that hashes in the background, checkpointed, and resumes after a restart.
     */
    private Outcome publish(Path source, PublishOptions options, List<String> webSeeds, boolean upload,
                            dev.freshet.engine.create.TorrentCreator.Checkpoint streamed) {
        Policy policy = policyOr(options.policy(), Policy.ALL);
        long size = sizeOf(source);
        if (streamed != null) {
            LOG.log(System.Logger.Level.INFO, "Freshet publishes {0}: its pieces were hashed as it arrived", source);
        }
        if (size > settings.publishAsyncBytes()) {
            String id = UUID.randomUUID().toString();
            var record = new dev.freshet.control.catalog.PublicationRecord(id, source.toString(),
                    source.getFileName().toString(), policy.toString(), options.privateSwarm(), options.pieceLength(),
                    String.join("\n", webSeeds), upload, options.owner(), size);
            if (streamed != null) {
                try {
                    // hashed as it arrived: the job finds every piece in its checkpoint and reads nothing
                    int count = streamed.done().cardinality();
                    record.restart(fingerprint(source), streamed.pieceLength(), count);
                    record.checkpoint(streamed.hashes(), streamed.done());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            catalog.createPublication(record);
            jobs.submit(id);
            LOG.log(System.Logger.Level.INFO, "Freshet hashes {0} ({1} bytes) in the background: publication {2}",
                    source, size, id);
            return Outcome.started(id);
        }
        Publications.Publication live = publications.begin(source.getFileName().toString());
        InfoHash h;
        try {
            h = hashAndStart(source, options.privateSwarm(), options.pieceLength(), webSeeds, policy, live::hashed,
                    (piece, sha1) -> { }, streamed);
        } catch (HashingInterrupted e) {
            throw new IllegalStateException("interrupted while hashing " + source, e);
        } finally {
            publications.end(live);
        }
        return Outcome.done(owned(h, options.owner()));
    }

    /** The node is stopping while a publication hashes: it stays {@code hashing}, to go on after the restart. */
    private static final class HashingInterrupted extends RuntimeException {
        HashingInterrupted(Throwable cause) {
            super("interrupted", cause);
        }
    }

    /** The regular files under {@code source}, a file or a directory (links not followed), in path order. */
    private static List<Path> regularFiles(Path source) throws IOException {
        try (var walk = Files.walk(source)) {
            return walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /** Bytes under {@code source}, a file or a directory (links not followed). */
    private static long sizeOf(Path source) {
        try {
            long total = 0;
            for (Path p : regularFiles(source)) {
                total += Files.size(p);
            }
            return total;
        } catch (IOException e) {
            throw new InvalidRequestException("cannot read '" + source + "': " + e.getMessage(), e);
        }
    }

    /**
     * What a checkpoint is valid for: every file's relative path, size and modification time under
     * {@code source}, hashed (a changed file, one added or removed: hashing starts again).
     */
    static String fingerprint(Path source) throws IOException {
        java.security.MessageDigest d;
        try {
            d = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path p : regularFiles(source)) {
            d.update((source.relativize(p) + "\0" + Files.size(p) + "\0"
                    + Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(d.digest());
    }

    /**
     * Hashes a background publication ({@link #publish}), from its checkpoint when the data is what it was taken of,
     * writing a new checkpoint every few seconds; then starts the swarm as any publication. A failure is recorded with
     * its reason (an upload's data removed); a node stopping leaves it to resume after the restart.
     */
    public void runJob(String id) {
        var j = catalog.publication(id).filter(r -> r.state().equals(dev.freshet.control.catalog.PublicationRecord.HASHING))
                .orElse(null);
        if (j == null) {
            return;
        }
        Path source = Path.of(j.source());
        Publications.Publication live = null;
        try {
            String fp = fingerprint(source);
            long size = sizeOf(source);
            int pl = j.pieceLength() != 0 ? j.pieceLength() : dev.freshet.engine.create.TorrentCreator.autoPieceLength(size);
            int count = (int) ((size + pl - 1) / pl);
            dev.freshet.engine.create.TorrentCreator.Checkpoint from = null;
            byte[] kept = j.hashes();
            if (fp.equals(j.fingerprint()) && kept != null && kept.length == count * 20 && j.pieceLength() == pl) {
                from = new dev.freshet.engine.create.TorrentCreator.Checkpoint(pl, kept, j.hashedPieces());
            } else {
                catalog.updatePublication(id, r -> r.restart(fp, pl, count));
            }
            Checkpoints checkpoints = new Checkpoints(id, count, pl, from);
            live = publications.begin(id, j.name(), pl);
            List<String> webSeeds = j.webSeeds() == null || j.webSeeds().isEmpty() ? List.of()
                    : List.of(j.webSeeds().split("\n"));
            InfoHash h = hashAndStart(source, j.privateSwarm(), pl, webSeeds, Policy.parse(j.policy()), live::hashed,
                    checkpoints::hashed, from);
            owned(h, j.owner());
            catalog.updatePublication(id, r -> r.done(h.hex()));
        } catch (HashingInterrupted stopping) {
            LOG.log(System.Logger.Level.INFO, "Freshet stops hashing publication {0}; it goes on after the restart", id);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "Freshet publication " + id + " of " + source + " failed: " + why, e);
            catalog.updatePublication(id, r -> r.fail(why));
            if (j.upload()) {
                try {
                    deleteQuietly(uploadDirOf(source));
                } catch (RuntimeException notAnUpload) {
                    // nothing of ours to remove
                }
            }
        } finally {
            if (live != null) {
                publications.end(live);
            }
        }
    }

    /**
     * The piece hashes of a background publication as they come (hashing threads), written to its record every
     * {@value #CHECKPOINT_MILLIS} ms; the hashing paced to {@link NodeSettings#publishHashRate} when one is set.
     */
    private static final long CHECKPOINT_MILLIS = 2000;

    private final class Checkpoints {
        private final String id;
        private final byte[] hashes;
        private final java.util.BitSet done;
        private final long pieceLength;
        private long lastWrite = System.nanoTime();
        private long paceNanos;

        Checkpoints(String id, int count, long pieceLength, dev.freshet.engine.create.TorrentCreator.Checkpoint from) {
            this.id = id;
            this.pieceLength = pieceLength;
            // copies: the creator reads the checkpoint's own while these grow
            this.hashes = from == null ? new byte[count * 20] : from.hashes().clone();
            this.done = from == null ? new java.util.BitSet(count) : (java.util.BitSet) from.done().clone();
        }

        void hashed(int piece, byte[] sha1) {
            byte[] copy;
            java.util.BitSet doneNow;
            long wait;
            synchronized (this) {
                System.arraycopy(sha1, 0, hashes, piece * 20, 20);
                done.set(piece);
                long now = System.nanoTime();
                long rate = settings.publishHashRate();
                wait = 0;
                if (rate > 0) {
                    // each piece takes the next slot of pieceLength/rate seconds: the threads together keep the rate
                    paceNanos = Math.max(paceNanos, now) + (long) (1e9 * pieceLength / rate);
                    wait = paceNanos - now;
                }
                if (now - lastWrite < CHECKPOINT_MILLIS * 1_000_000) {
                    copy = null;
                    doneNow = null;
                } else {
                    lastWrite = now;
                    copy = hashes.clone();
                    doneNow = (java.util.BitSet) done.clone();
                }
            }
            if (copy != null) {
                catalog.updatePublication(id, r -> r.checkpoint(copy, doneNow));
            }
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Hashes {@code source} into a torrent and starts seeding it; this node is its first seed. */
    private InfoHash hashAndStart(Path source, boolean privateSwarm, int pieceLength, List<String> webSeeds,
                                  Policy policy, dev.freshet.engine.create.TorrentCreator.Progress progress,
                                  dev.freshet.engine.create.TorrentCreator.PieceListener onPiece,
                                  dev.freshet.engine.create.TorrentCreator.Checkpoint from) {
        Metainfo m;
        List<List<String>> tiers = trackerTiers();
        if (privateSwarm) {
            // BEP 27: the tracker answers for a private swarm only to announces carrying its key
            String key = AnnounceKey.generate();
            tiers = tiers.stream().map(t -> t.stream().map(u -> AnnounceKey.addTo(u, key)).toList()).toList();
        }
        TorrentSpec spec = new TorrentSpec(tiers, privateSwarm, pieceLength, webSeeds, progress, onPiece, from);
        try {
            m = engine.call(c -> c.create(source, spec));
        } catch (MetainfoException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidRequestException("cannot read '" + source + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HashingInterrupted(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash " + source + ": " + e.getMessage(), e);
        }
        refuseIfHeld(m.infoHash().hex());
        Path saveDir = source.getParent();
        // the data was hashed just now: no need to check it again; this node is its first seed (issue 12: each piece
        // goes out of this office about once, and the other offices trade the rest)
        start(m, saveDir, policy, SwarmOptions.defaults().withAnnounce(false).trusted().asFirstSeed(), true);
        LOG.log(System.Logger.Level.INFO, "Freshet published {0} ({1}) with policy {2}{3}", m.info().name(),
                m.infoHash().hex(), policy, privateSwarm ? ", private" : "");
        return m.infoHash();
    }

    /**
     * BEP 12: the announce URL of every node that knows its public URL, this node's first, one per tier
     * (a client tries them in turn: any node answers for the whole cluster).
     */
    private List<List<String>> trackerTiers() {
        List<List<String>> tiers = new ArrayList<>();
        settings.publicUrl().ifPresent(u -> tiers.add(List.of(u + "announce")));
        directory.knownMembers().stream().map(MemberEntry::trackerUrl).filter(u -> !u.isEmpty())
                .filter(u -> tiers.isEmpty() || !tiers.get(0).get(0).equals(u)).distinct().sorted()
                .forEach(u -> tiers.add(List.of(u)));
        return tiers;
    }

    /** Adds a {@code .torrent} on behalf of {@code owner} (null: nobody); its data goes to the downloads directory. */
    public String addTorrent(byte[] torrent, String policyText, String owner) {
        Metainfo m;
        try {
            m = Metainfo.parse(torrent);
        } catch (MetainfoException e) {
            throw new InvalidRequestException("not a valid .torrent file: " + e.getMessage(), e);
        }
        return owned(add(m, policyOr(policyText, Policy.ON_DEMAND)), owner);
    }

    /**
     * Adds a magnet link. The metainfo comes from the cluster directory when a node published the swarm,
     * else (BEP 9) from the peers the link names ({@code x.pe}) and its trackers name, within a minute. On behalf of
     * {@code owner} (null: nobody).
     */
    public String addMagnet(String uri, String policyText, String owner) {
        MagnetLink link;
        try {
            link = MagnetLink.parse(uri);
        } catch (MetainfoException e) {
            throw new InvalidRequestException("not a valid magnet link: " + e.getMessage(), e);
        }
        Optional<PublishedSwarm> published = directory.swarm(link.infoHash().hex());
        if (published.isPresent()) {
            Policy policy = policyText == null ? Policy.parse(published.get().policy()) : Policy.parse(policyText);
            Metainfo verified;
            try {
                verified = published.get().verify(link.infoHash().hex());
            } catch (MetainfoException e) {
                throw new SwarmNotFoundException(e.getMessage(), e);
            }
            return owned(add(verified, policy), owner);
        }
        refuseIfHeld(link.infoHash().hex());
        if (link.peers().isEmpty() && link.trackers().isEmpty()) {
            throw new SwarmNotFoundException("no node of this cluster publishes " + link.infoHash().hex()
                    + ", and the magnet link names no peer (x.pe) or tracker (tr) to ask for its metadata");
        }
        Metainfo m;
        try {
            m = engine.call(c -> c.fetchMetadata(link, List.of(), java.time.Duration.ofSeconds(60)));
        } catch (MetainfoException e) {
            throw new SwarmNotFoundException("the metadata of " + link.infoHash().hex() + " could not be fetched: "
                    + e.getMessage(), e);
        }
        return owned(add(m, policyOr(policyText, Policy.ON_DEMAND), link.peerAddresses()), owner);
    }

    /** Records that {@code owner} (null: nobody) published or added the swarm here: it may steer it (issue 16). */
    private String owned(InfoHash h, String owner) {
        if (owner != null) {
            catalog.update(h.hex(), r -> r.own(owner));
        }
        return h.hex();
    }

    /**
     * Fetches a swarm published in the cluster, because its policy says so, from the given holders. A node of the
     * publisher's office fetches it as one of the swarm's first seeds: with the publisher and the office's other
     * members it sends each piece out of the office about once (the engine's {@code FirstSeed}), where each of them
     * used to serve every other office in full once it had the artifact (simulated, 5 nodes in hq and 8 offices:
     * 9 F out of hq instead of 1).
     */
    public void fetchPublished(PublishedSwarm published, List<java.net.InetSocketAddress> holders) {
        boolean publishersOffice = directory.knownMembers().stream().anyMatch(
                m -> m.memberId().equals(published.publishedBy()) && m.office().equals(settings.office()));
        add(published.verify(published.infoHash()), Policy.parse(published.policy()), holders, false,
                publishersOffice);
    }

    private static boolean clusterTrackersOnly(Metainfo m, List<String> clusterTrackers) {
        return clusterTrackers.containsAll(m.trackerTiers().stream().flatMap(List::stream)
                .map(AnnounceKey::withoutQuery).toList());
    }

    private InfoHash add(Metainfo m, Policy policy) {
        return add(m, policy, List.of(), true, false);
    }

    private InfoHash add(Metainfo m, Policy policy, List<java.net.InetSocketAddress> holders) {
        return add(m, policy, holders, true, false);
    }

    /**
     * {@code byUser}: a person added it (it is wanted again, should an admin have taken it out of the cluster);
     * {@code firstSeed}: this node is in the publisher's office ({@link #fetchPublished}).
     */
    private InfoHash add(Metainfo m, Policy policy, List<java.net.InetSocketAddress> holders, boolean byUser,
                         boolean firstSeed) {
        refuseIfHeld(m.infoHash().hex());
        Optional<SwarmRecord> old = catalog.find(m.infoHash().hex());
        // each swarm's data in a directory of its own, named by its info-hash: two swarms of the same name can
        // never share a file (issue 10, case 2)
        Path saveDir = old.map(r -> Path.of(r.savePath())).orElse(settings.saveDirOf(m.infoHash().hex()));
        // the cluster's own trackers only tell what the directory tells already: no need to announce to them
        List<String> clusterTrackers = directory.knownMembers().stream().map(MemberEntry::trackerUrl).toList();
        SwarmOptions options = SwarmOptions.defaults().withPeers(holders)
                .withAnnounce(!clusterTrackersOnly(m, clusterTrackers))
                .withResumePieces(old.map(SwarmRecord::verifiedPieces).orElseGet(java.util.BitSet::new),
                        old.map(SwarmRecord::verifiedAtMillis).orElse(0L));
        start(m, saveDir, policy, firstSeed ? options.asFirstSeed() : options, byUser);
        return m.infoHash();
    }

    private void refuseIfHeld(String infoHash) {
        catalog.find(infoHash).filter(r -> !r.removed()).ifPresent(r -> {
            throw new SwarmConflictException("this node already holds " + r.name() + " (" + r.infoHash() + ")");
        });
    }

    private void start(Metainfo m, Path saveDir, Policy policy, SwarmOptions options, boolean byUser) {
        String hash = m.infoHash().hex();
        try {
            Files.createDirectories(saveDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + saveDir + ": " + e.getMessage(), e);
        }
        Optional<SwarmRecord> old = catalog.find(hash);
        if (old.isPresent()) {
            catalog.update(hash, r -> {
                r.reinstate(policy.toString(), saveDir.toString());
                r.firstSeed(options.firstSeed());
                r.startRun();
                r.describe(m.info().pieceLength(), m.info().isPrivate(), m.magnet().toString());
            });
        } else {
            SwarmRecord record = new SwarmRecord(hash, m.info().name(), m.info().totalLength(), m.info().pieceCount(),
                    m.toBytes(), saveDir.toString(), policy.toString());
            record.describe(m.info().pieceLength(), m.info().isPrivate(), m.magnet().toString());
            record.firstSeed(options.firstSeed());
            catalog.create(record);
        }
        try {
            engine.call(c -> c.add(m, saveDir, options));
        } catch (RuntimeException e) {
            catalog.update(hash, r -> r.remove(false));
            throw e;
        }
        if (options.trustedComplete()) {
            catalog.update(hash, SwarmRecord::markComplete);
        }
        snapshot.invalidate();
        // the swarm is this node's now, whatever the grid does: a member that does not answer delays its entries
        // (the reconciliation writes what is missing), never the call
        String self = directory.localMemberId();
        PublishedSwarm entry = PublishedSwarm.of(hash, m.info().name(), m.info().totalLength(), m.info().pieceCount(),
                policy.toString(), m.toBytes(), self);
        Holding holding = Holding.of(hash, self, options.trustedComplete() ? m.info().pieceCount() : 0,
                m.info().pieceCount(), "CHECKING");
        directoryCalls.write("swarm " + hash, () -> {
            if (byUser) {
                directory.wantedAgain(hash); // published or added by a person after an admin took it out: wanted again
            }
            directory.publish(entry);
            directory.hold(holding);
        });
    }

    private static Policy policyOr(String text, Policy fallback) {
        return text == null || text.isBlank() ? fallback : Policy.parse(text);
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}

package dev.freshet.control;

import dev.freshet.adapter.api.EngineConnection;
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
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmStatus;
import dev.freshet.engine.swarm.UnknownSwarmException;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a user does with swarms on this node: publish, add, pause, resume, remove, look. Not transactional
 * itself (hashing a large artifact outlasts any transaction); each catalog call is its own transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Swarms {
    private static final System.Logger LOG = System.getLogger(Swarms.class.getName());

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

    /** Publishes a file or directory on this machine; it must lie under one of {@code freshet.publish.roots}. */
    public SwarmView publishPath(String path, PublishOptions options) {
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
        if (settings.publishRoots().stream().map(Swarms::realOrSelf).noneMatch(real::startsWith)) {
            throw new PublishRefusedException("'" + path + "' leads outside the publish roots through a symbolic link");
        }
        return publish(real, options);
    }

    /**
     * Stores an uploaded file, as its bytes arrive, in a directory of its own under the uploads directory, and
     * answers where. At most {@code freshet.upload.max-bytes} are taken; a failure leaves nothing behind. The caller
     * then {@link #publishReceived publishes} it or {@link #discardUpload discards} it.
     */
    public Path receiveUpload(String fileName, InputStream content) {
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
            try (InputStream bounded = content; var out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n; (n = bounded.read(buffer)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw new UploadTooLargeException("the upload is larger than this node takes ("
                                + limit + " bytes, freshet.upload.max-bytes)");
                    }
                    out.write(buffer, 0, n);
                }
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

    /** Publishes a file {@link #receiveUpload received}; one that is refused (held already, not valid) is removed. */
    public SwarmView publishReceived(Path received, PublishOptions options) {
        Path dir = uploadDirOf(received);
        try {
            policyOr(options.policy(), Policy.ALL);
            return publish(received, options);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
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

    private SwarmView publish(Path source, PublishOptions options) {
        Policy policy = policyOr(options.policy(), Policy.ALL);
        Metainfo m;
        List<List<String>> tiers = trackerTiers();
        if (options.privateSwarm()) {
            // BEP 27: the tracker answers for a private swarm only to announces carrying its key
            String key = AnnounceKey.generate();
            tiers = tiers.stream().map(t -> t.stream().map(u -> AnnounceKey.addTo(u, key)).toList()).toList();
        }
        Publications.Publication job = publications.begin(source.getFileName().toString());
        TorrentSpec spec = new TorrentSpec(tiers, options.privateSwarm(), options.pieceLength(), job::hashed);
        try {
            m = engine.call(c -> c.create(source, spec));
        } catch (MetainfoException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidRequestException("cannot read '" + source + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing " + source, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash " + source + ": " + e.getMessage(), e);
        } finally {
            publications.end(job);
        }
        refuseIfHeld(m.infoHash().hex());
        Path saveDir = source.getParent();
        // the data was hashed just now: no need to check it again
        start(m, saveDir, policy, SwarmOptions.defaults().withAnnounce(false).trusted());
        LOG.log(System.Logger.Level.INFO, "Freshet published {0} ({1}) with policy {2}{3}", m.info().name(),
                m.infoHash().hex(), policy, options.privateSwarm() ? ", private" : "");
        return view(m.infoHash().hex());
    }

    /**
     * BEP 12: the announce URL of every node that knows its public URL, this node's first, one per tier
     * (a client tries them in turn: any node answers for the whole cluster).
     */
    private List<List<String>> trackerTiers() {
        List<List<String>> tiers = new ArrayList<>();
        settings.publicUrl().ifPresent(u -> tiers.add(List.of(u + "announce")));
        directory.members().stream().map(MemberEntry::trackerUrl).filter(u -> !u.isEmpty())
                .filter(u -> tiers.isEmpty() || !tiers.get(0).get(0).equals(u)).distinct().sorted()
                .forEach(u -> tiers.add(List.of(u)));
        return tiers;
    }

    /** Adds a {@code .torrent}; its data goes to the downloads directory. */
    public SwarmView addTorrent(byte[] torrent, String policyText) {
        Metainfo m;
        try {
            m = Metainfo.parse(torrent);
        } catch (MetainfoException e) {
            throw new InvalidRequestException("not a valid .torrent file: " + e.getMessage(), e);
        }
        return add(m, policyOr(policyText, Policy.ON_DEMAND));
    }

    /**
     * Adds a magnet link. The metainfo comes from the cluster directory when a node published the swarm,
     * else (BEP 9) from the peers the link names ({@code x.pe}) and its trackers name, within a minute.
     */
    public SwarmView addMagnet(String uri, String policyText) {
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
            return add(verified, policy);
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
        return add(m, policyOr(policyText, Policy.ON_DEMAND), link.peerAddresses());
    }

    /** Fetches a swarm published in the cluster, because its policy says so, from the given holders. */
    public void fetchPublished(PublishedSwarm published, List<java.net.InetSocketAddress> holders) {
        add(published.verify(published.infoHash()), Policy.parse(published.policy()), holders);
    }

    private static boolean clusterTrackersOnly(Metainfo m, List<String> clusterTrackers) {
        return clusterTrackers.containsAll(m.trackerTiers().stream().flatMap(List::stream)
                .map(AnnounceKey::withoutQuery).toList());
    }

    private SwarmView add(Metainfo m, Policy policy) {
        return add(m, policy, List.of());
    }

    private SwarmView add(Metainfo m, Policy policy, List<java.net.InetSocketAddress> holders) {
        refuseIfHeld(m.infoHash().hex());
        Optional<SwarmRecord> old = catalog.find(m.infoHash().hex());
        // each swarm's data in a directory of its own, named by its info-hash: two swarms of the same name can
        // never share a file (issue 10, case 2)
        Path saveDir = old.map(r -> Path.of(r.savePath())).orElse(settings.saveDirOf(m.infoHash().hex()));
        // the cluster's own trackers only tell what the directory tells already: no need to announce to them
        List<String> clusterTrackers = directory.members().stream().map(MemberEntry::trackerUrl).toList();
        SwarmOptions options = SwarmOptions.defaults().withPeers(holders)
                .withAnnounce(!clusterTrackersOnly(m, clusterTrackers))
                .withResumePieces(old.map(SwarmRecord::verifiedPieces).orElseGet(java.util.BitSet::new),
                        old.map(SwarmRecord::verifiedAtMillis).orElse(0L));
        start(m, saveDir, policy, options);
        return view(m.infoHash().hex());
    }

    private void refuseIfHeld(String infoHash) {
        catalog.find(infoHash).filter(r -> !r.removed()).ifPresent(r -> {
            throw new SwarmConflictException("this node already holds " + r.name() + " (" + r.infoHash() + ")");
        });
    }

    private void start(Metainfo m, Path saveDir, Policy policy, SwarmOptions options) {
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
                r.startRun();
            });
        } else {
            catalog.create(new SwarmRecord(hash, m.info().name(), m.info().totalLength(), m.info().pieceCount(),
                    m.toBytes(), saveDir.toString(), policy.toString()));
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
        directory.publish(PublishedSwarm.of(hash, m.info().name(), m.info().totalLength(), m.info().pieceCount(),
                policy.toString(), m.toBytes(), directory.localMemberId()));
        directory.hold(new Holding(hash, directory.localMemberId(),
                options.trustedComplete() ? m.info().pieceCount() : 0, m.info().pieceCount(), "CHECKING"));
    }

    public List<SwarmView> list() {
        Map<String, SwarmStatus> live = engine.call(c -> c.statuses()).stream()
                .collect(Collectors.toMap(s -> s.infoHash().hex(), Function.identity()));
        Map<String, MemberEntry> members = membersByPeerAddress();
        return catalog.active().stream()
                .map(r -> view(r, Optional.ofNullable(live.get(r.infoHash())), members, false)).toList();
    }

    public SwarmView view(String infoHash) {
        SwarmRecord r = held(infoHash);
        return view(r, engine.call(c -> c.status(InfoHash.fromHex(r.infoHash()))), membersByPeerAddress(), true);
    }

    /*
     * Private swarms' keys (BEP 27: in their tracker URLs, so in their .torrent and magnet link) admit a client to
     * the swarm: callers without {@code withKeys} (viewers) see such a swarm without its magnet link and are refused
     * its .torrent and magnet link. The one place that decides it, for the API and the event streams alike.
     */

    public List<SwarmView> list(boolean withKeys) {
        List<SwarmView> all = list();
        return withKeys ? all : all.stream().map(SwarmView::forViewer).toList();
    }

    public SwarmView view(String infoHash, boolean withKeys) {
        SwarmView v = view(infoHash);
        return withKeys ? v : v.forViewer();
    }

    public byte[] torrent(String infoHash, boolean withKeys) {
        byte[] t = torrent(infoHash);
        refuseKey(Metainfo.parse(t), withKeys);
        return t;
    }

    public String magnet(String infoHash, boolean withKeys) {
        Metainfo m = Metainfo.parse(torrent(infoHash));
        refuseKey(m, withKeys);
        return m.magnet().toString();
    }

    private static void refuseKey(Metainfo m, boolean withKeys) {
        if (!withKeys && m.info().isPrivate()) {
            throw new KeyRefusedException("a private swarm's .torrent and magnet link carry its key, which admits a "
                    + "client to the swarm: only an admin may have them");
        }
    }

    /** The {@code .torrent} of a swarm held here or published anywhere in the cluster. */
    public byte[] torrent(String infoHash) {
        String hash = normalize(infoHash);
        return catalog.find(hash).filter(r -> !r.removed()).map(SwarmRecord::torrent)
                .or(() -> directory.swarm(hash).flatMap(p -> {
                    try {
                        return Optional.of(p.verifiedTorrent(hash));
                    } catch (MetainfoException e) {
                        LOG.log(System.Logger.Level.WARNING, e.getMessage());
                        return Optional.empty();
                    }
                }))
                .orElseThrow(() -> notFound(hash));
    }

    public SwarmView pause(String infoHash) {
        return steer(infoHash, EngineConnection::pause, SwarmRecord::pause);
    }

    public SwarmView resume(String infoHash) {
        return steer(infoHash, EngineConnection::resume, SwarmRecord::resume);
    }

    /** Tells the engine first (it may refuse), then records what it did. */
    private SwarmView steer(String infoHash, java.util.function.BiConsumer<EngineConnection, InfoHash> command,
                            java.util.function.Consumer<SwarmRecord> record) {
        SwarmRecord r = held(infoHash);
        engine.run(c -> command.accept(c, InfoHash.fromHex(r.infoHash())));
        catalog.update(r.infoHash(), record);
        return view(r.infoHash());
    }

    /** Removes the swarm from this node (the cluster keeps it); with {@code deleteData} its files too. */
    public void remove(String infoHash, boolean deleteData) {
        SwarmRecord r = held(infoHash);
        try {
            engine.run(c -> c.remove(InfoHash.fromHex(r.infoHash()), deleteData));
        } catch (UnknownSwarmException gone) {
            // not running in the engine (it failed to start): the record is what is left to remove
        }
        catalog.update(r.infoHash(), rec -> rec.remove(deleteData));
        directory.release(r.infoHash());
        Path own = settings.saveDirOf(r.infoHash());
        if (deleteData && Path.of(r.savePath()).equals(own)) {
            try {
                Files.deleteIfExists(own); // the swarm's own directory, once its files are gone
            } catch (IOException notEmpty) {
                LOG.log(System.Logger.Level.WARNING, "Freshet left " + own + " in place: " + notEmpty.getMessage());
            }
        }
    }

    public RateLimits limits() {
        return new RateLimits(catalog.setting("limit.download").map(Long::parseLong).orElse(0L),
                catalog.setting("limit.upload").map(Long::parseLong).orElse(0L));
    }

    public RateLimits setLimits(RateLimits limits) {
        engine.run(c -> c.setGlobalLimits(limits.downloadLimit(), limits.uploadLimit()));
        catalog.setting("limit.download", Long.toString(limits.downloadLimit()));
        catalog.setting("limit.upload", Long.toString(limits.uploadLimit()));
        return limits;
    }

    public ClusterView cluster() {
        String me = directory.localMemberId();
        List<Holding> holdings = directory.holdings();
        List<PublishedSwarm> published = directory.swarms();
        Map<String, String> names = published.stream().collect(Collectors.toMap(PublishedSwarm::infoHash,
                PublishedSwarm::name, (a, b) -> a));
        List<ClusterView.Member> members = new ArrayList<>();
        for (MemberEntry m : directory.members()) {
            List<ClusterView.Held> held = holdings.stream().filter(h -> h.memberId().equals(m.memberId()))
                    .map(h -> new ClusterView.Held(h.infoHash(), names.getOrDefault(h.infoHash(), ""),
                            h.verifiedPieces(), h.pieceCount(), h.pieceCount() == 0 ? 0
                            : (double) h.verifiedPieces() / h.pieceCount(), h.state()))
                    .sorted(Comparator.comparing(ClusterView.Held::name)).toList();
            String health = held.stream().anyMatch(h -> "ERROR".equals(h.state())) ? "degraded" : "up";
            members.add(new ClusterView.Member(m.memberId(), m.name(), m.office(), m.peerHost() + ":" + m.peerPort(),
                    m.memberId().equals(me), m.joinedAt(), health, held));
        }
        members.sort(Comparator.comparing(ClusterView.Member::office).thenComparing(ClusterView.Member::name));
        List<ClusterView.Published> swarms = published.stream().map(p -> {
            List<Holding> hs = holdings.stream().filter(h -> h.infoHash().equals(p.infoHash())).toList();
            return new ClusterView.Published(p.infoHash(), p.name(), p.totalLength(), p.policy(), p.publishedBy(),
                    hs.size(), (int) hs.stream().filter(Holding::complete).count());
        }).sorted(Comparator.comparing(ClusterView.Published::name)).toList();
        List<String> offices = members.stream().map(ClusterView.Member::office)
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
        return new ClusterView(me, settings.office(), offices, members, swarms);
    }

    private SwarmRecord held(String infoHash) {
        String hash = normalize(infoHash);
        return catalog.find(hash).filter(r -> !r.removed()).orElseThrow(() -> notFound(hash));
    }

    private static SwarmNotFoundException notFound(String hash) {
        return new SwarmNotFoundException("no swarm " + hash + " on this node");
    }

    private static String normalize(String infoHash) {
        try {
            return InfoHash.fromHex(infoHash).hex();
        } catch (RuntimeException e) {
            throw new SwarmNotFoundException("'" + infoHash + "' is not an info-hash (40 hexadecimal digits)");
        }
    }

    private static Policy policyOr(String text, Policy fallback) {
        return text == null || text.isBlank() ? fallback : Policy.parse(text);
    }

    /** BEP 3 order: piece 0 is the high bit of byte 0. */
    static String bitfield(java.util.BitSet pieces, int count) {
        byte[] bytes = new byte[(count + 7) / 8];
        for (int i = pieces.nextSetBit(0); i >= 0 && i < count; i = pieces.nextSetBit(i + 1)) {
            bytes[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** Members by the address peers dial them at: how a connected peer is known as a member. */
    private Map<String, MemberEntry> membersByPeerAddress() {
        return directory.members().stream().collect(Collectors.toMap(e -> e.peerHost() + ":" + e.peerPort(),
                Function.identity(), (a, b) -> a));
    }

    /** With {@code detail} false (a list), without files, {@code downloading} and {@code availability}. */
    private SwarmView view(SwarmRecord r, Optional<SwarmStatus> status, Map<String, MemberEntry> members,
                           boolean detail) {
        Metainfo m = null;
        try {
            m = Metainfo.parse(r.torrent());
        } catch (MetainfoException e) {
            // a record always holds a torrent it parsed once; nothing to add if that changed
        }
        int pieceLength = m == null ? 0 : m.info().pieceLength();
        String magnet = m == null ? null : m.magnet().toString();
        boolean isPrivate = m != null && m.info().isPrivate();
        if (status.isPresent()) {
            SwarmStatus s = status.get();
            List<SwarmView.PeerView> peers = s.peers().stream().map(p -> {
                Optional<MemberEntry> member = Optional.ofNullable(members.get(p.listenAddress()));
                return new SwarmView.PeerView(p.address(), p.client(), member.map(MemberEntry::name).orElse(null),
                        member.map(MemberEntry::office).orElse(null), p.seed(),
                        s.pieceCount() == 0 ? 0 : (double) p.pieces() / s.pieceCount(), p.downloadRate(),
                        p.uploadRate(), p.outgoing(), flags(p));
            }).toList();
            return new SwarmView(r.infoHash(), r.name(), r.totalLength(), r.pieceCount(), pieceLength,
                    s.verifiedPieces(), s.progress(), s.state().name().toLowerCase(), s.downloadRate(), s.uploadRate(),
                    Math.max(r.downloaded(), s.downloaded()), Math.max(r.uploaded(), s.uploaded()), s.downloaded(),
                    bitfield(s.verified(), r.pieceCount()), peers.size(), peers,
                    r.savePath(), r.policy(), magnet, String.valueOf(r.addedAt()),
                    r.completedAt() == null ? null : r.completedAt().toString(), s.error(), isPrivate,
                    detail ? files(m, s.verified()) : List.of(),
                    detail ? bitfield(s.downloading(), r.pieceCount()) : null,
                    detail ? java.util.Base64.getEncoder().encodeToString(s.availability()) : null);
        }
        double progress = r.verifiedCount() == r.pieceCount() ? 1.0 : (double) r.verifiedCount() / Math.max(1, r.pieceCount());
        return new SwarmView(r.infoHash(), r.name(), r.totalLength(), r.pieceCount(), pieceLength, r.verifiedCount(),
                progress, r.error() != null ? "error" : "stopped", 0, 0, r.downloaded(), r.uploaded(), 0,
                bitfield(r.verifiedPieces(), r.pieceCount()), 0, List.of(),
                r.savePath(), r.policy(), magnet, String.valueOf(r.addedAt()),
                r.completedAt() == null ? null : r.completedAt().toString(), r.error(), isPrivate,
                detail ? files(m, r.verifiedPieces()) : List.of(),
                detail ? bitfield(new java.util.BitSet(), r.pieceCount()) : null,
                detail ? java.util.Base64.getEncoder().encodeToString(new byte[r.pieceCount()]) : null);
    }

    private static String flags(SwarmStatus.PeerStatus p) {
        StringBuilder f = new StringBuilder();
        if (p.amInterested()) {
            f.append(p.peerChoking() ? 'd' : 'D');
        }
        if (p.peerInterested()) {
            f.append(p.amChoking() ? 'u' : 'U');
        }
        if (!p.outgoing()) {
            f.append('I');
        }
        if (p.seed()) {
            f.append('S');
        }
        return f.toString();
    }

    /** Each file's verified share: the bytes of verified pieces that fall inside it. */
    static List<SwarmView.FileView> files(Metainfo m, java.util.BitSet verified) {
        if (m == null) {
            return List.of();
        }
        PieceLayout layout = new PieceLayout(m.info());
        List<SwarmView.FileView> out = new ArrayList<>();
        for (int f = 0; f < layout.fileCount(); f++) {
            long size = layout.fileLength(f);
            long have = 0;
            int[] pieces = layout.piecesOfFile(f);
            if (pieces.length > 0) { // an empty file touches no piece
                for (int p = verified.nextSetBit(pieces[0]); p >= 0 && p <= pieces[1]; p = verified.nextSetBit(p + 1)) {
                    for (PieceLayout.Segment seg : layout.segments(p, 0, layout.pieceSize(p))) {
                        have += seg.file() == f ? seg.length() : 0;
                    }
                }
            }
            out.add(new SwarmView.FileView(m.info().files().get(f).displayPath(), size,
                    size == 0 || have == size ? 1.0 : (double) have / size));
        }
        return out;
    }
}

package dev.freshet.control;

import dev.freshet.adapter.api.EngineConnection;
import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.MetainfoException;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.swarm.SwarmStatus;
import dev.freshet.engine.swarm.UnknownSwarmException;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The swarms this node holds: look at them, steer them (pause, resume, remove), hand out their {@code .torrent}
 * and magnet link. Each answer joins the catalog's record with the engine's status ({@link NodeSwarm}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class NodeSwarms {
    private static final System.Logger LOG = System.getLogger(NodeSwarms.class.getName());

    @Inject
    dev.freshet.control.directory.DirectoryCalls directoryCalls;
    @EJB
    Catalog catalog;
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeEngine engine;
    @Inject
    EngineSnapshot snapshot;
    @Inject
    NodeSettings settings;

    /** Every swarm on this node, without per-piece detail, from the shared engine snapshot (at most a second old). */
    public List<NodeSwarm> list() {
        Map<String, SwarmStatus> live = liveStatuses();
        Map<String, MemberEntry> members = membersByPeerAddress();
        return catalog.active().stream()
                .map(r -> join(r, Optional.ofNullable(live.get(r.infoHash())), members, false)).toList();
    }

    /** The engine's shared snapshot (at most a second old), by info-hash. */
    private Map<String, SwarmStatus> liveStatuses() {
        return snapshot.statuses().stream().collect(Collectors.toMap(s -> s.infoHash().hex(), Function.identity()));
    }

    /** The order of a paged list: by name, then info-hash (unique, so a position in it is a name and a hash). */
    private static final java.util.Comparator<Catalog.Listed> ORDER = java.util.Comparator
            .comparing(Catalog.Listed::name).thenComparing(Catalog.Listed::infoHash);

    /**
     * One page of the list (issue 14): swarms in {@link #ORDER} after the position ({@code afterName},
     * {@code afterHash}; null: from the start), of {@code state} (null: any) whose name contains {@code q} (without
     * regard to case) or whose info-hash starts with it (null: any), at most {@code limit}; {@code more} when others
     * follow.
     */
    public record Page(List<NodeSwarm> swarms, boolean more) {
    }

    public Page page(int limit, String afterName, String afterHash, NodeSwarmState state, String q) {
        String needle = q == null || q.isBlank() ? null : q.trim().toLowerCase(java.util.Locale.ROOT);
        Map<String, SwarmStatus> live = liveStatuses();
        // chosen from three columns of each record; only the page's own records are loaded and joined
        Catalog.Listed after = afterName == null ? null : new Catalog.Listed(afterHash, afterName, null);
        List<String> chosen = catalog.listed().stream()
                .filter(l -> state == null || stateOf(l, live.get(l.infoHash())) == state)
                .filter(l -> needle == null || l.name().toLowerCase(java.util.Locale.ROOT).contains(needle)
                        || l.infoHash().startsWith(needle))
                .filter(l -> after == null || ORDER.compare(l, after) > 0)
                .sorted(ORDER).limit(limit + 1L).map(Catalog.Listed::infoHash).toList();
        Map<String, SwarmRecord> records = (chosen.size() > 1001 ? catalog.active() : catalog.records(chosen)).stream()
                .collect(Collectors.toMap(SwarmRecord::infoHash, Function.identity()));
        Map<String, MemberEntry> members = membersByPeerAddress();
        List<NodeSwarm> swarms = chosen.stream().limit(limit).map(records::get).filter(java.util.Objects::nonNull)
                .map(r -> join(r, Optional.ofNullable(live.get(r.infoHash())), members, false)).toList();
        return new Page(swarms, chosen.size() > limit);
    }

    /** A swarm's state as {@link #join} gives it, from what a page chooses by. */
    private static NodeSwarmState stateOf(Catalog.Listed l, SwarmStatus status) {
        return status != null ? NodeSwarmState.of(status.state())
                : l.error() != null ? NodeSwarmState.ERROR : NodeSwarmState.STOPPED;
    }

    /** One swarm, with its per-piece detail, as the engine has it now. */
    public NodeSwarm view(String infoHash) {
        SwarmRecord r = held(infoHash);
        return join(r, engine.call(c -> c.status(InfoHash.fromHex(r.infoHash()))), membersByPeerAddress(), true);
    }

    /*
     * Private swarms' keys (BEP 27: in their tracker URLs, so in their .torrent and magnet link) admit a client to
     * the swarm: callers without {@code withKeys} (viewers) are refused its .torrent and magnet link, and the web
     * tier leaves the magnet link out of what it shows them.
     */

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

    /** Who published or added the swarm here; empty when the cluster fetched it by its policy. */
    public Optional<String> owner(String infoHash) {
        return Optional.ofNullable(held(infoHash).owner());
    }

    public NodeSwarm pause(String infoHash) {
        return steer(infoHash, EngineConnection::pause, SwarmRecord::pause);
    }

    public NodeSwarm resume(String infoHash) {
        return steer(infoHash, EngineConnection::resume, SwarmRecord::resume);
    }

    /** Tells the engine first (it may refuse), then records what it did. */
    private NodeSwarm steer(String infoHash, java.util.function.BiConsumer<EngineConnection, InfoHash> command,
                            java.util.function.Consumer<SwarmRecord> record) {
        SwarmRecord r = held(infoHash);
        engine.run(c -> command.accept(c, InfoHash.fromHex(r.infoHash())));
        catalog.update(r.infoHash(), record);
        snapshot.invalidate();
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
        // a grid member that does not answer delays the release (the reconciliation drops what is left), never the call
        directoryCalls.write("the release of " + r.infoHash(), () -> directory.release(r.infoHash()));
        snapshot.invalidate();
        Path own = settings.saveDirOf(r.infoHash());
        if (deleteData && Path.of(r.savePath()).equals(own)) {
            try {
                Files.deleteIfExists(own); // the swarm's own directory, once its files are gone
            } catch (IOException notEmpty) {
                LOG.log(System.Logger.Level.WARNING, "Freshet left " + own + " in place: " + notEmpty.getMessage());
            }
        }
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

    /** Members by the address peers dial them at: how a connected peer is known as a member. */
    private Map<String, MemberEntry> membersByPeerAddress() {
        return directory.knownMembers().stream().collect(Collectors.toMap(e -> e.peerHost() + ":" + e.peerPort(),
                Function.identity(), (a, b) -> a));
    }

    /** With {@code detail} false (a list), without files, {@code downloading} and {@code availability}. */
    private NodeSwarm join(SwarmRecord r, Optional<SwarmStatus> status, Map<String, MemberEntry> members,
                           boolean detail) {
        Metainfo m = null;
        if (detail || !r.described()) { // a list takes what the catalog keeps; only a detail needs the files
            try {
                m = Metainfo.parse(r.torrent());
            } catch (MetainfoException e) {
                // a record always holds a torrent it parsed once; nothing to add if that changed
            }
        }
        int pieceLength = r.described() ? r.pieceLength() : m == null ? 0 : m.info().pieceLength();
        String magnet = r.described() ? r.magnet() : m == null ? null : m.magnet().toString();
        boolean isPrivate = r.described() ? r.privateSwarm() : m != null && m.info().isPrivate();
        Policy policy = Policy.parse(r.policy());
        if (status.isPresent()) {
            SwarmStatus s = status.get();
            List<NodeSwarm.Peer> peers = s.peers().stream().map(p -> new NodeSwarm.Peer(p.address(), p.client(),
                    Optional.ofNullable(members.get(p.listenAddress())), p.seed(),
                    s.pieceCount() == 0 ? 0 : (double) p.pieces() / s.pieceCount(), p.downloadRate(), p.uploadRate(),
                    p.outgoing(), p.amInterested(), p.peerChoking(), p.peerInterested(), p.amChoking(), p.encryption())).toList();
            return new NodeSwarm(InfoHash.fromHex(r.infoHash()), r.name(), r.totalLength(), r.pieceCount(),
                    pieceLength, s.verifiedPieces(), s.progress(), NodeSwarmState.of(s.state()), s.downloadRate(),
                    s.uploadRate(), Math.max(r.downloaded(), s.downloaded()), Math.max(r.uploaded(), s.uploaded()),
                    s.downloaded(), s.verified(), peers, r.savePath(), policy, magnet, r.addedAt(), r.completedAt(),
                    s.error(), isPrivate, s.wanDownloaded(), s.wanUploaded(), r.owner(),
                    detail ? Optional.of(new NodeSwarm.Detail(files(m, s.verified()),
                    s.downloading(), s.availability())) : Optional.empty());
        }
        double progress = r.verifiedCount() == r.pieceCount() ? 1.0 : (double) r.verifiedCount() / Math.max(1, r.pieceCount());
        return new NodeSwarm(InfoHash.fromHex(r.infoHash()), r.name(), r.totalLength(), r.pieceCount(), pieceLength,
                r.verifiedCount(), progress, r.error() != null ? NodeSwarmState.ERROR : NodeSwarmState.STOPPED, 0, 0,
                r.downloaded(), r.uploaded(), 0, r.verifiedPieces(), List.of(), r.savePath(), policy, magnet,
                r.addedAt(), r.completedAt(), r.error(), isPrivate, 0, 0, r.owner(),
                detail ? Optional.of(new NodeSwarm.Detail(files(m, r.verifiedPieces()), new BitSet(),
                        new byte[r.pieceCount()])) : Optional.empty());
    }

    /** Each file's verified share: the bytes of verified pieces that fall inside it. */
    static List<NodeSwarm.FileProgress> files(Metainfo m, java.util.BitSet verified) {
        if (m == null) {
            return List.of();
        }
        PieceLayout layout = new PieceLayout(m.info());
        List<NodeSwarm.FileProgress> out = new ArrayList<>();
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
            out.add(new NodeSwarm.FileProgress(m.info().files().get(f).displayPath(), size,
                    size == 0 || have == size ? 1.0 : (double) have / size));
        }
        return out;
    }
}

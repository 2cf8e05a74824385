package dev.freshet.adapter.api;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.MagnetLink;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A handle on the node's one peer engine. Cheap; close it when done (try-with-resources). Every method
 * blocks until the engine's network thread has done the work (at most {@link #TIMEOUT_SECONDS}) and
 * rethrows the engine's own exceptions ({@code UnknownSwarmException}, {@code MetainfoException},
 * {@code StorageException}, {@code IllegalStateException} when the swarm is already there).
 */
public interface EngineConnection extends AutoCloseable {
    int TIMEOUT_SECONDS = 30;

    /** Where peers reach this engine (the bound address and port). */
    InetSocketAddress peerAddress();

    /** The peer id this engine shows in its handshakes. */
    dev.freshet.engine.wire.PeerId peerId();

    /**
     * Which peers every swarm asks for pieces first ({@code PeerPreference}: a rank per peer, lower first); offices
     * rank their own nodes first. {@code PeerPreference.NONE} ranks all alike (the default).
     */
    void rankPeers(dev.freshet.engine.swarm.PeerPreference preference);

    /**
     * This node's share of its office's WAN budget, bytes per second in and out (0 = unlimited): what it may take
     * from and send to peers outside its office.
     */
    void setWanLimits(long download, long upload);

    /** What crossed this node's WAN link since the engine started, and whether its share held it back lately. */
    dev.freshet.engine.swarm.WanTotals wanTotals();

    /** The peer ids of this node's cluster: never evicted for outsiders, and first to a slot (see {@code Engine.preferPeers}). */
    void preferPeers(java.util.Collection<dev.freshet.engine.wire.PeerId> ids);

    /**
     * The members that speak TLS with this node: where they listen, their peer ids, their certificates' SHA-256 (see
     * {@code Engine.secureMembers}); nothing changes when the engine has no peer TLS.
     */
    void secureMembers(java.util.Collection<dev.freshet.engine.swarm.SecureMember> members);

    /** The SHA-256 (hex) of the certificate this node shows members; empty when it speaks no TLS with them. */
    String peerCertificate();

    /**
     * Hashes a file or directory into a torrent, on the adapter's work threads. Takes as long as reading
     * the data (about 1–2 GiB/s per core), so no timeout applies.
     */
    Metainfo create(Path source, TorrentSpec spec) throws IOException, InterruptedException;

    /**
     * BEP 9: the metainfo of a magnet link, from {@code peers}, the link's own peers and its trackers' peers;
     * waits up to {@code timeout} (not {@link #TIMEOUT_SECONDS}).
     */
    Metainfo fetchMetadata(MagnetLink link, List<InetSocketAddress> peers, Duration timeout);

    /** Adds a swarm; its existing data is checked in the background ({@code swarmStarted} follows). */
    InfoHash add(Metainfo metainfo, Path saveDirectory, SwarmOptions options);

    void addPeers(InfoHash infoHash, List<InetSocketAddress> peers);

    void pause(InfoHash infoHash);

    void resume(InfoHash infoHash);

    void remove(InfoHash infoHash, boolean deleteData);

    /** Bytes per second; 0 means unlimited. */
    void setGlobalLimits(long download, long upload);

    /** The node's disk watermarks and quota: downloads stop when they are reached and go on by themselves after. */
    void setDiskLimits(dev.freshet.engine.swarm.DiskLimits limits);

    void setSwarmLimits(InfoHash infoHash, long download, long upload);

    /**
     * Hashes one of this node's verified pieces again soon, out of the scrub's turn: another member failed this
     * node's copy ({@link PeerEventListener#pieceFailedFromMembers}). A damaged piece is no longer served and is
     * fetched again; a piece this node does not have is ignored.
     */
    void recheck(InfoHash infoHash, int piece);

    Optional<SwarmStatus> status(InfoHash infoHash);

    List<SwarmStatus> statuses();

    @Override
    void close();
}

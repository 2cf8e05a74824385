package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.MagnetLink;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.storage.FilePieceStorage;
import dev.freshet.engine.storage.ParallelHashing;
import dev.freshet.engine.storage.PieceStorage;
import dev.freshet.engine.tracker.HttpTrackerClient;
import dev.freshet.engine.tracker.TrackerException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A BitTorrent engine: listens on one port and runs any number of swarms. Every method may be called
 * from any thread; each becomes a task on the network thread (see the package documentation for the
 * threading model). Results come back as futures, which complete on the network thread: do not block
 * in their callbacks.
 */
public final class Engine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    private final EngineConfig config;
    private final NetworkLoop loop;
    private volatile boolean closed;
    /** Driven by {@link #runOnce} instead of a thread of its own. */
    private final boolean stepped;

    private Engine(EngineConfig config, NetworkLoop loop, boolean stepped) {
        this.config = config;
        this.loop = loop;
        this.stepped = stepped;
    }

    /** Binds the listening socket and starts the network loop on {@code config.networkExecutor()}. */
    public static Engine start(EngineConfig config, EngineListener listener) throws IOException {
        NetworkLoop loop = new NetworkLoop(config, listener);
        Engine engine = new Engine(config, loop, false);
        config.networkExecutor().execute(loop);
        return engine;
    }

    /**
     * An engine whose network loop has no thread: the caller drives it with {@link #runOnce} (a simulation, where
     * every engine of a swarm runs on one thread in virtual time, {@code config.clock()}). Its calls complete when
     * the loop runs; closing it stops the loop at its next round.
     */
    public static Engine startStepped(EngineConfig config, EngineListener listener) throws IOException {
        return new Engine(config, new NetworkLoop(config, listener), true);
    }

    /** One round of a {@link #startStepped stepped} engine's loop, without waiting; false once it has stopped. */
    public boolean runOnce() {
        return loop.runOnce();
    }

    /** When a stepped engine next has something to do by itself, on its clock (nanoseconds). */
    public long nextTickNanos() {
        return loop.nextTickNanos();
    }

    /** Whether a stepped engine has work queued (calls, results) that its next round will do. */
    public boolean hasQueuedWork() {
        return loop.hasTasks();
    }

    public EngineConfig config() {
        return config;
    }

    /** The port peers connect to (the one bound, when the configuration asked for port 0). */
    public int listenPort() {
        return loop.listenPort();
    }

    public InetSocketAddress listenAddress() {
        return new InetSocketAddress(config.listenAddress().getAddress(), loop.listenPort());
    }

    /**
     * Adds a swarm whose data is (or will be) under {@code saveDirectory}. The data already there is
     * checked first on the hashing pool (unless {@code options.trustedComplete()}); the future completes
     * when the swarm is added, before the check ends ({@link EngineEvent.SwarmStarted} tells that).
     */
    public CompletableFuture<InfoHash> addSwarm(Metainfo metainfo, Path saveDirectory, SwarmOptions options) {
        return addSwarm(metainfo, new FilePieceStorage(metainfo.info(), saveDirectory), options);
    }

    /** Adds a swarm over the given storage (any backend). */
    public CompletableFuture<InfoHash> addSwarm(Metainfo metainfo, PieceStorage storage, SwarmOptions options) {
        InfoHash hash = metainfo.infoHash();
        return call(() -> {
            if (loop.swarmFor(hash) != null) {
                storage.close();
                throw new IllegalStateException("swarm " + hash + " is already in the engine");
            }
            Swarm swarm = new Swarm(loop, metainfo, storage, options, loop.now());
            loop.swarms().put(hash, swarm);
            checkExisting(swarm);
            return hash;
        });
    }

    private void checkExisting(Swarm swarm) {
        int pieces = swarm.layout.pieceCount();
        BitSet valid = new BitSet(pieces);
        if (swarm.options.trustedComplete()) {
            valid.set(0, pieces);
            swarm.started(valid);
            return;
        }
        PieceStorage storage = swarm.storage;
        BitSet resumed = swarm.options.resumePieces();
        resumed.clear(pieces, Math.max(pieces, resumed.length()));
        long asOf = swarm.options.resumeAsOf();
        for (int p = resumed.nextSetBit(0); p >= 0; p = resumed.nextSetBit(p + 1)) {
            if (!storage.mayHave(p) || storage.changedSince(p, asOf)) {
                // a file shrank, vanished or was written while we were away: check what is there
                resumed.clear(p);
            }
        }
        valid.or(resumed);
        ParallelHashing.hashAll(storage, config.hashingExecutor(), config.hashingParallelism(),
                p -> closed || resumed.get(p) || !storage.mayHave(p), (piece, sha1) -> {
                    if (swarm.info.pieceHashMatches(piece, sha1)) {
                        synchronized (valid) {
                            valid.set(piece);
                        }
                    }
                }).whenComplete((ok, failure) -> loop.execute(() -> {
                    if (failure != null) {
                        swarm.fail("cannot check existing data: " + failure.getMessage());
                    } else if (swarm.state == SwarmState.CHECKING && loop.swarmFor(swarm.infoHash) == swarm) {
                        BitSet copy;
                        synchronized (valid) {
                            copy = (BitSet) valid.clone();
                        }
                        swarm.started(copy);
                    }
                }));
    }

    /**
     * BEP 9: gets the metainfo of a magnet link from peers that have it: {@code peers}, the link's own
     * ({@code x.pe}) and those its trackers ({@code tr}) name. The trackers are asked on the hashing pool (HTTP);
     * the peers are asked on the network loop, a few at once. The result is verified against the info-hash and
     * carries the link's trackers. Fails with a {@code MetainfoException} that says what each peer did when none
     * gave it within {@code timeout}.
     */
    public CompletableFuture<Metainfo> fetchMetadata(MagnetLink link, List<InetSocketAddress> peers, Duration timeout) {
        CompletableFuture<Info> info = new CompletableFuture<>();
        long deadline = config.clock().getAsLong() + timeout.toNanos();
        config.hashingExecutor().execute(() -> {
            try {
                List<InetSocketAddress> all = new ArrayList<>(peers);
                all.addAll(link.peerAddresses());
                HttpTrackerClient trackers = new HttpTrackerClient(5000);
                for (String url : link.trackers()) {
                    try {
                        all.addAll(trackers.announce(url, new HttpTrackerClient.AnnounceRequest(link.infoHash(),
                                config.peerId(), listenPort(), 0, 0, 1, HttpTrackerClient.Event.NONE, 50)).peers());
                    } catch (TrackerException unreachable) {
                        LOG.log(System.Logger.Level.INFO, "tracker {0} gave no peers for {1}: {2}", url,
                                link.infoHash(), unreachable.getMessage());
                    }
                }
                InetSocketAddress me = listenAddress();
                List<InetSocketAddress> distinct = all.stream().distinct().filter(a -> !a.equals(me)).toList();
                loop.execute(new NetworkLoop.Call() {
                    @Override
                    public void run() {
                        loop.fetchMetadata(new MetadataFetch(loop, link.infoHash(), distinct, deadline, info));
                    }

                    @Override
                    public void fail(RuntimeException why) {
                        info.completeExceptionally(why);
                    }
                });
            } catch (RuntimeException e) {
                info.completeExceptionally(e);
            }
        });
        List<List<String>> tiers = link.trackers().stream().map(List::of).toList();
        return info.thenApply(i -> Metainfo.of(i, tiers));
    }

    public CompletableFuture<Void> addPeers(InfoHash hash, List<InetSocketAddress> peers) {
        return onSwarm(hash, s -> {
            s.addPeers(peers);
            return null;
        });
    }

    /**
     * The peer ids of this node's own cluster (replacing those given before): their connections are never
     * evicted for an outsider, and take an outsider's slot when a swarm or the connection table is full.
     */
    public CompletableFuture<Void> preferPeers(java.util.Collection<dev.freshet.engine.wire.PeerId> ids) {
        java.util.Set<dev.freshet.engine.wire.PeerId> copy = java.util.Set.copyOf(ids);
        return call(() -> {
            loop.preferPeers(copy);
            return null;
        });
    }

    /**
     * The members of this node's cluster that speak TLS with it (replacing those given before), when the engine has
     * {@link EngineConfig.Builder#peerTls peer TLS}: it dials them with TLS (never plain: a failed handshake is a
     * failed dial), takes TLS from them on its peer port by their certificates, and refuses plain BitTorrent that
     * shows one of their peer ids. Without peer TLS this changes nothing.
     */
    public CompletableFuture<Void> secureMembers(java.util.Collection<SecureMember> members) {
        java.util.List<SecureMember> copy = java.util.List.copyOf(members);
        return call(() -> {
            loop.secureMembers(copy);
            return null;
        });
    }

    /** The SHA-256 (hex) of the certificate this engine shows members, if it speaks TLS with them. */
    public java.util.Optional<String> peerCertificate() {
        return java.util.Optional.ofNullable(config.peerTls()).map(dev.freshet.engine.tls.PeerTls::fingerprint);
    }

    /**
     * Which peers every swarm asks for pieces first (replacing the one given before; {@link PeerPreference#NONE}
     * ranks all alike, the default).
     */
    public CompletableFuture<Void> peerPreference(PeerPreference preference) {
        java.util.Objects.requireNonNull(preference);
        return call(() -> {
            loop.peerPreference(preference);
            return null;
        });
    }

    /**
     * The order in which a swarm starts pieces from now on ({@link dev.freshet.engine.picker.PieceOrder#SEQUENTIAL}
     * for a reader that consumes the data as it arrives; rarest first is the default).
     */
    public CompletableFuture<Void> pieceOrder(InfoHash hash, dev.freshet.engine.picker.PieceOrder order) {
        java.util.Objects.requireNonNull(order);
        return onSwarm(hash, s -> {
            s.pieceOrder(order);
            return null;
        });
    }

    public CompletableFuture<Void> pause(InfoHash hash) {
        return onSwarm(hash, s -> {
            s.pause();
            return null;
        });
    }

    public CompletableFuture<Void> resume(InfoHash hash) {
        return onSwarm(hash, s -> {
            s.resume();
            return null;
        });
    }

    /** Removes a swarm; with {@code deleteData}, also its files (and the directories they leave empty). */
    public CompletableFuture<Void> remove(InfoHash hash, boolean deleteData) {
        return onSwarm(hash, s -> {
            s.remove();
            loop.swarms().remove(hash);
            if (deleteData && s.storage instanceof FilePieceStorage f) {
                deleteFiles(f);
            }
            return null;
        });
    }

    private static void deleteFiles(FilePieceStorage storage) {
        for (int i = 0; i < storage.layout().fileCount(); i++) {
            try {
                Files.deleteIfExists(storage.path(i));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete " + storage.path(i) + ": " + e.getMessage());
            }
        }
        // remove directories the torrent created, deepest first, if now empty
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < storage.layout().fileCount(); i++) {
            for (Path p = storage.path(i).getParent(); p != null && p.startsWith(storage.root()) && !p.equals(storage.root());
                 p = p.getParent()) {
                dirs.add(p);
            }
        }
        dirs.stream().distinct().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).forEach(d -> {
            try (Stream<Path> s = Files.list(d)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(d);
                }
            } catch (IOException ignored) {
                // left in place: not empty or not ours
            }
        });
    }

    /**
     * How much of its disks the engine's downloads may take: watermarks and a quota ({@link DiskLimits}); every
     * downloading swarm checks them each second, a swarm they stopped goes on by itself once they allow it.
     */
    public CompletableFuture<Void> setDiskLimits(DiskLimits limits) {
        java.util.Objects.requireNonNull(limits, "limits");
        return call(() -> {
            loop.diskLimits(limits);
            return null;
        });
    }

    /** Global limits in bytes per second, 0 = unlimited; applied from the next tick. */
    public CompletableFuture<Void> setGlobalLimits(long download, long upload) {
        return call(() -> {
            loop.globalDownload().setRate(download);
            loop.globalUpload().setRate(upload);
            return null;
        });
    }

    /**
     * This node's share of its office's WAN link, in bytes per second (0 = unlimited): what it may take from and send
     * to peers outside its office (as ranked by {@link #peerPreference}); applied from the next tick.
     */
    public CompletableFuture<Void> setWanLimits(long download, long upload) {
        if (download < 0 || upload < 0) {
            throw new IllegalArgumentException("a rate limit cannot be negative");
        }
        return call(() -> {
            if (loop.wan().setRates(download, upload)) {
                loop.fitWanReceiveBuffers(); // the share moved far enough for the buffers to follow
            }
            return null;
        });
    }

    /** What crossed the WAN link since the engine started; clears the "held" marks (see {@link WanTotals}). */
    public CompletableFuture<WanTotals> wanTotals() {
        return call(() -> loop.wan().totals());
    }

    public CompletableFuture<Void> setSwarmLimits(InfoHash hash, long download, long upload) {
        return onSwarm(hash, s -> {
            s.downloadBucket.setRate(download);
            s.uploadBucket.setRate(upload);
            return null;
        });
    }

    /**
     * Hashes one verified piece again soon, out of the scrub's turn (another member of the cluster failed this
     * node's copy, see {@link EngineEvent.PieceFailed#members}); if it no longer matches, it is no longer served and
     * is fetched again. A piece the swarm does not have, or one already waiting, is ignored.
     */
    public CompletableFuture<Void> recheck(InfoHash hash, int piece) {
        return onSwarm(hash, s -> {
            loop.recheck(s, piece);
            return null;
        });
    }

    /** One swarm, with its per-piece detail ({@code downloading}, {@code availability}). */
    public CompletableFuture<Optional<SwarmStatus>> status(InfoHash hash) {
        return call(() -> Optional.ofNullable(loop.swarmFor(hash)).map(s -> s.status(true)));
    }

    /** Every swarm, without per-piece detail: what a once-a-second poll of all swarms needs. */
    public CompletableFuture<List<SwarmStatus>> statuses() {
        return call(() -> loop.swarms().values().stream().map(s -> s.status(false)).toList());
    }

    /** How many pooled connection buffers are held right now; idle connections hold none. */
    public int buffersInUse() {
        return loop.buffersInUse();
    }

    /** Stops the network loop, closes every connection and storage, and waits for the loop to end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        if (stepped) {
            loop.runOnce(); // ends the loop now: nobody else will run it
            return;
        }
        try {
            loop.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> CompletableFuture<T> onSwarm(InfoHash hash, Function<Swarm, T> action) {
        return call(() -> {
            Swarm s = loop.swarmFor(hash);
            if (s == null) {
                throw new UnknownSwarmException(hash);
            }
            return action.apply(s);
        });
    }

    private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
            return f;
        }
        loop.execute(new NetworkLoop.Call() {
            @Override
            public void run() {
                try {
                    f.complete(action.call());
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            }

            @Override
            public void fail(RuntimeException why) {
                f.completeExceptionally(why);
            }
        });
        return f;
    }
}

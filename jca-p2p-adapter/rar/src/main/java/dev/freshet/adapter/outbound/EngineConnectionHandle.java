package dev.freshet.adapter.outbound;

import dev.freshet.adapter.FreshetResourceAdapter;
import dev.freshet.adapter.api.EngineConnection;
import dev.freshet.adapter.api.TorrentSpec;
import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.MagnetLink;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.resource.ResourceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The handle an application holds. Valid until closed, or until the container cleans its managed connection up. */
final class EngineConnectionHandle implements EngineConnection {
    private final FreshetResourceAdapter adapter;
    private volatile EngineManagedConnection managed;
    private volatile boolean valid = true;

    EngineConnectionHandle(EngineManagedConnection managed, FreshetResourceAdapter adapter) {
        this.managed = managed;
        this.adapter = adapter;
    }

    void invalidate() {
        valid = false;
    }

    void moveTo(EngineManagedConnection other) {
        EngineManagedConnection old = managed;
        if (old != null && old != other) {
            old.forget(this);
        }
        managed = other;
    }

    private Engine engine() {
        if (!valid) {
            throw new IllegalStateException("this Freshet engine connection is closed");
        }
        try {
            return adapter.engine();
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        return await(f, TIMEOUT_SECONDS);
    }

    private static <T> T await(CompletableFuture<T> f, long seconds) {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Freshet engine", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Freshet engine did not answer within " + seconds + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    @Override
    public InetSocketAddress peerAddress() {
        return engine().listenAddress();
    }

    @Override
    public dev.freshet.engine.wire.PeerId peerId() {
        return engine().config().peerId();
    }

    @Override
    public void rankPeers(dev.freshet.engine.swarm.PeerPreference preference) {
        await(engine().peerPreference(preference));
    }

    @Override
    public void setWanLimits(long download, long upload) {
        await(engine().setWanLimits(download, upload));
    }

    @Override
    public dev.freshet.engine.swarm.WanTotals wanTotals() {
        return await(engine().wanTotals());
    }

    @Override
    public void recheck(InfoHash infoHash, int piece) {
        await(engine().recheck(infoHash, piece));
    }

    @Override
    public void preferPeers(java.util.Collection<dev.freshet.engine.wire.PeerId> ids) {
        await(engine().preferPeers(ids));
    }

    @Override
    public void secureMembers(java.util.Collection<dev.freshet.engine.swarm.SecureMember> members) {
        await(engine().secureMembers(members));
    }

    @Override
    public String peerCertificate() {
        return engine().peerCertificate().orElse("");
    }

    @Override
    public Metainfo create(Path source, TorrentSpec spec) throws IOException, InterruptedException {
        engine();
        try {
            TorrentCreator creator = new TorrentCreator();
            if (spec.resume() != null) {
                creator.resume(spec.resume());
            }
            return creator.announceList(spec.trackerTiers()).privateFlag(spec.privateFlag())
                    .pieceLength(spec.pieceLength()).urlList(spec.webSeeds()).progress(spec.progress())
                    .pieceListener(spec.onPiece())
                    .threads(Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .executor(adapter.workExecutor()).create(source);
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Metainfo fetchMetadata(MagnetLink link, List<InetSocketAddress> peers, Duration timeout) {
        return await(engine().fetchMetadata(link, peers, timeout), timeout.toSeconds() + 5);
    }

    @Override
    public InfoHash add(Metainfo metainfo, Path saveDirectory, SwarmOptions options) {
        return await(engine().addSwarm(metainfo, saveDirectory, options));
    }

    @Override
    public void addPeers(InfoHash infoHash, List<InetSocketAddress> peers) {
        await(engine().addPeers(infoHash, peers));
    }

    @Override
    public void pause(InfoHash infoHash) {
        await(engine().pause(infoHash));
    }

    @Override
    public void resume(InfoHash infoHash) {
        await(engine().resume(infoHash));
    }

    @Override
    public void remove(InfoHash infoHash, boolean deleteData) {
        await(engine().remove(infoHash, deleteData));
    }

    @Override
    public void setGlobalLimits(long download, long upload) {
        await(engine().setGlobalLimits(download, upload));
    }

    @Override
    public void setDiskLimits(dev.freshet.engine.swarm.DiskLimits limits) {
        await(engine().setDiskLimits(limits));
    }

    @Override
    public void setSwarmLimits(InfoHash infoHash, long download, long upload) {
        await(engine().setSwarmLimits(infoHash, download, upload));
    }

    @Override
    public Optional<SwarmStatus> status(InfoHash infoHash) {
        return await(engine().status(infoHash));
    }

    @Override
    public List<SwarmStatus> statuses() {
        return await(engine().statuses());
    }

    @Override
    public void close() {
        if (!valid) {
            return;
        }
        valid = false;
        EngineManagedConnection m = managed;
        if (m != null) {
            m.closed(this);
        }
    }
}

package dev.freshet.adapter.inbound;

import dev.freshet.adapter.api.PeerEventListener;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.EngineListener;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes engine events on the network thread (a queue offer, nothing more) and delivers them to the active
 * endpoints from one long-running work thread ({@link #run()}). Piece and rate events are folded into one
 * {@link PeerEventListener#progress} call per swarm about every {@link #FLUSH_MILLIS}; the other events
 * pass through in order, each after the pending progress of its swarm.
 */
public final class EventDispatcher implements EngineListener, Runnable {
    static final long FLUSH_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger(EventDispatcher.class.getName());
    private static final int QUEUE_LIMIT = 200_000;

    private final BlockingQueue<EngineEvent> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final List<MessageEndpointFactory> endpoints = new CopyOnWriteArrayList<>();
    private final Map<InfoHash, Progress> pending = new LinkedHashMap<>(); // dispatcher thread only
    private volatile boolean stopped;
    private volatile long dropped;

    private static final class Progress {
        final BitSet verified = new BitSet();
        int verifiedPieces;
        int pieceCount;
        long downloaded;
        long uploaded;
        boolean dirty;
    }

    public void activate(MessageEndpointFactory factory) {
        endpoints.add(factory);
    }

    public void deactivate(MessageEndpointFactory factory) {
        endpoints.remove(factory);
    }

    public void stop() {
        stopped = true;
    }

    /** Network thread: must not block. */
    @Override
    public void onEvent(EngineEvent event) {
        if (event instanceof EngineEvent.PeerConnected || event instanceof EngineEvent.PeerDisconnected) {
            return; // visible in status(); too many to deliver one by one
        }
        if (event instanceof EngineEvent.PieceFailed f && f.members().isEmpty()) {
            return; // an outsider's bad data: the engine bans it; nothing for the cluster to do
        }
        if (event instanceof EngineEvent.EngineStopped stopped) {
            if (stopped.failed()) { // the engine logged why; the health check reports it DOWN from now on
                LOG.log(System.Logger.Level.ERROR, "the Freshet engine has stopped: {0}", stopped.reason());
            }
            return;
        }
        if (event instanceof EngineEvent.SwarmStalled) {
            // the engine logs it and its status tells the reason; the catalog is likely on the same full disk
            return;
        }
        if (!queue.offer(event)) {
            dropped++; // the next progress/status still tells the truth; only the detail is lost
        }
    }

    @Override
    public void run() {
        long nextFlush = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        while (!stopped) {
            try {
                EngineEvent e = queue.poll(Math.max(1, nextFlush - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e != null) {
                    take(e);
                }
                if (System.nanoTime() - nextFlush >= 0) {
                    flushAll();
                    nextFlush = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException re) {
                LOG.log(System.Logger.Level.WARNING, "Freshet event dispatch failed; going on with the next event", re);
            }
        }
    }

    private void take(EngineEvent e) {
        if (e instanceof EngineEvent.PieceVerified v) {
            Progress p = progress(v.infoHash());
            p.verified.set(v.piece());
            p.verifiedPieces = v.verifiedPieces();
            p.pieceCount = v.pieceCount();
            p.dirty = true;
        } else if (e instanceof EngineEvent.RateSample r) {
            Progress p = progress(r.infoHash());
            p.dirty |= p.downloaded != r.downloaded() || p.uploaded != r.uploaded();
            p.downloaded = r.downloaded();
            p.uploaded = r.uploaded();
            p.verifiedPieces = Math.max(p.verifiedPieces, r.verifiedPieces());
        } else if (e instanceof EngineEvent.SwarmStarted s) {
            Progress p = progress(s.infoHash());
            p.verifiedPieces = s.verifiedPieces();
            p.pieceCount = s.pieceCount();
            deliver(l -> l.swarmStarted(s.infoHash(), s.verifiedPieces(), s.pieceCount(), s.verified()));
        } else if (e instanceof EngineEvent.SwarmComplete c) {
            flush(c.infoHash());
            deliver(l -> l.swarmComplete(c.infoHash(), c.totalLength()));
        } else if (e instanceof EngineEvent.PeerBanned b) {
            // a web seed has no address of a connection: its URL stands in
            deliver(l -> l.peerBanned(b.infoHash(), b.address() == null ? b.peerId()
                    : b.address().getHostString() + ":" + b.address().getPort(), b.reason()));
        } else if (e instanceof EngineEvent.PieceFailed f) {
            deliver(l -> l.pieceFailedFromMembers(f.infoHash(), f.piece(), f.members()));
        } else if (e instanceof EngineEvent.SwarmError err) {
            flush(err.infoHash());
            pending.remove(err.infoHash());
            deliver(l -> l.swarmError(err.infoHash(), err.message()));
        }
    }

    private Progress progress(InfoHash hash) {
        return pending.computeIfAbsent(hash, h -> new Progress());
    }

    private void flushAll() {
        for (InfoHash h : List.copyOf(pending.keySet())) {
            flush(h);
        }
        long d = dropped;
        if (d > 0) {
            dropped = 0;
            LOG.log(System.Logger.Level.WARNING, "Freshet dropped {0} engine events: the event queue was full", d);
        }
    }

    private void flush(InfoHash hash) {
        Progress p = pending.get(hash);
        if (p == null || !p.dirty || p.pieceCount == 0) {
            return;
        }
        BitSet newly = (BitSet) p.verified.clone();
        p.verified.clear();
        p.dirty = false;
        int verified = p.verifiedPieces;
        int count = p.pieceCount;
        long down = p.downloaded;
        long up = p.uploaded;
        deliver(l -> l.progress(hash, newly, verified, count, down, up));
    }

    private void deliver(Consumer<PeerEventListener> call) {
        for (MessageEndpointFactory f : endpoints) {
            MessageEndpoint endpoint;
            try {
                endpoint = f.createEndpoint(null);
            } catch (UnavailableException e) {
                LOG.log(System.Logger.Level.WARNING, "a Freshet event endpoint is unavailable: {0}", e.getMessage());
                continue;
            }
            try {
                call.accept((PeerEventListener) endpoint);
            } catch (RuntimeException e) {
                // a failing bean must not stop delivery to the others, nor the next events
                LOG.log(System.Logger.Level.WARNING, "a Freshet event endpoint failed", e);
            } finally {
                endpoint.release();
            }
        }
    }
}

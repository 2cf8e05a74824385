package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;

import java.net.InetSocketAddress;

/** What the engine tells the application. One typed stream; every event names its swarm, but {@link EngineStopped}. */
public sealed interface EngineEvent {
    /** The swarm the event is about; null only for {@link EngineStopped}, which is about the whole engine. */
    InfoHash infoHash();

    /** The swarm checked its existing data and runs; {@code verified} are the pieces found valid (the new resume data). */
    record SwarmStarted(InfoHash infoHash, int verifiedPieces, int pieceCount, java.util.BitSet verified)
            implements EngineEvent {
        public SwarmStarted {
            verified = (java.util.BitSet) verified.clone();
        }

        public SwarmStarted(InfoHash infoHash, int verifiedPieces, int pieceCount) {
            this(infoHash, verifiedPieces, pieceCount, new java.util.BitSet());
        }

        @Override
        public java.util.BitSet verified() {
            return (java.util.BitSet) verified.clone();
        }
    }

    /** A peer finished the handshake. {@code client} is from its BEP 10 handshake when known, else its peer id. */
    record PeerConnected(InfoHash infoHash, InetSocketAddress address, String peerId, boolean outgoing)
            implements EngineEvent {
    }

    record PeerDisconnected(InfoHash infoHash, InetSocketAddress address, String reason) implements EngineEvent {
    }

    /** A peer banned for bad data; a web seed (BEP 19) has no {@code address} (null) and its URLs as {@code peerId}. */
    record PeerBanned(InfoHash infoHash, InetSocketAddress address, String peerId, String reason) implements EngineEvent {
    }

    /** Piece {@code piece} passed its SHA-1 check and is counted; {@code verifiedPieces} in all. */
    record PieceVerified(InfoHash infoHash, int piece, int verifiedPieces, int pieceCount) implements EngineEvent {
    }

    /**
     * Piece {@code piece} failed its SHA-1 check; its data is discarded and fetched again. {@code contributors} says
     * who sent it (or why a verified piece was lost); {@code members} are the sources among this node's own cluster
     * ({@link Engine#preferPeers}), whose copies may have rotted: their nodes are asked to {@link Engine#recheck}.
     */
    record PieceFailed(InfoHash infoHash, int piece, String contributors,
                       java.util.List<dev.freshet.engine.wire.PeerId> members) implements EngineEvent {
        public PieceFailed {
            members = java.util.List.copyOf(members);
        }
    }

    /** Every wanted piece is verified: the swarm now seeds. */
    record SwarmComplete(InfoHash infoHash, long totalLength) implements EngineEvent {
    }

    /**
     * Sent once a second per running swarm when any of its figures differs from the last sample sent (an idle swarm
     * sends one, then none until something moves). Rates in bytes per second; totals are payload bytes.
     */
    record RateSample(InfoHash infoHash, long downloadRate, long uploadRate, long downloaded, long uploaded,
                      int peers, int verifiedPieces) implements EngineEvent {
    }

    /** A swarm stopped because its disk is full; it goes on by itself (a new {@link SwarmStarted}) when there is room. */
    record SwarmStalled(InfoHash infoHash, String message) implements EngineEvent {
    }

    /**
     * The network loop ended: closed ({@code failed} false), or died of {@code reason} (its thread threw); every call
     * fails from then on. The last event an engine emits.
     */
    record EngineStopped(boolean failed, String reason) implements EngineEvent {
        @Override
        public InfoHash infoHash() {
            return null;
        }
    }

    /** A swarm stopped on an error it cannot recover from (for example its storage failed). */
    record SwarmError(InfoHash infoHash, String message) implements EngineEvent {
    }
}

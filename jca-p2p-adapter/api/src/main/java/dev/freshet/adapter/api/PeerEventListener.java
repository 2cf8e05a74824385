package dev.freshet.adapter.api;

import dev.freshet.engine.metainfo.InfoHash;

import java.util.BitSet;

/**
 * The message listener type of the adapter's inbound side: a message-driven bean implementing it gets
 * the engine's events. Calls come from the adapter's work threads, one at a time per endpoint, in the
 * order the engine produced them. Piece events are coalesced into {@link #progress} about once a second
 * per swarm, so a bean is not called thousands of times a second.
 */
public interface PeerEventListener {
    /** The swarm checked its data and runs; {@code verifiedPieces} of {@code pieceCount} were valid. */
    void swarmStarted(InfoHash infoHash, int verifiedPieces, int pieceCount, java.util.BitSet verified);

    /**
     * Pieces verified since the last call ({@code newlyVerified}), the count now verified, and the bytes
     * moved in this engine run (payload, not counting protocol overhead).
     */
    void progress(InfoHash infoHash, BitSet newlyVerified, int verifiedPieces, int pieceCount, long downloaded,
                  long uploaded);

    /** Every piece is verified: the node now seeds the swarm. */
    void swarmComplete(InfoHash infoHash, long totalLength);

    void peerBanned(InfoHash infoHash, String address, String reason);

    /**
     * Piece {@code piece} failed its hash check here, and some of its blocks came from other members of this
     * node's cluster ({@code members}, their engines' peer ids): their copies may have rotted, so their nodes should
     * {@link EngineConnection#recheck recheck} the piece. Only failures that name a member are delivered.
     */
    void pieceFailedFromMembers(InfoHash infoHash, int piece, java.util.List<dev.freshet.engine.wire.PeerId> members);

    /** The swarm stopped on an error it cannot recover from (its storage failed, say). */
    void swarmError(InfoHash infoHash, String message);
}

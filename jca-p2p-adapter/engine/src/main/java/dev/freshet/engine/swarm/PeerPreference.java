package dev.freshet.engine.swarm;

import dev.freshet.engine.wire.PeerId;

import java.net.InetSocketAddress;

/**
 * Which peers a swarm asks for pieces first: each peer has a rank (lower first). A peer is asked only for pieces
 * that no connected peer of a lower rank that unchokes us has; when that peer chokes us or goes, the next rank is
 * asked within a second. Offices rank their own nodes first so that a piece crosses a slow link once; the default
 * ranks every peer the same. Called on the network thread when a peer's handshake arrives (and for every
 * connection when the preference changes): it must be quick and must not block.
 */
@FunctionalInterface
public interface PeerPreference {
    int rank(PeerId peerId, InetSocketAddress address);

    /** Every peer alike. */
    PeerPreference NONE = (peerId, address) -> 0;
}

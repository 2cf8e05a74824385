package dev.freshet.engine.swarm;

import dev.freshet.engine.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A member of this node's cluster that speaks TLS with it (see {@link Engine#secureMembers}): where it listens for
 * peers, the peer id its engine shows, and the SHA-256 (hex) of the certificate it shows.
 */
public record SecureMember(InetSocketAddress address, PeerId peerId, String fingerprint) {
    public SecureMember {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(peerId, "peerId");
        if (fingerprint == null || !fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a certificate fingerprint is 64 lower-case hex digits");
        }
    }
}

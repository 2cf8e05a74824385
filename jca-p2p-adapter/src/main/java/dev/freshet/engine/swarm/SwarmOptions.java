package dev.freshet.engine.swarm;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * How a swarm is added: its initial peers, whether to ask its trackers for more, its own rate limits
 * (0 = only the global limit applies), and whether the data is trusted as complete (skip the check:
 * only for data this node has just hashed itself).
 */
public record SwarmOptions(List<InetSocketAddress> peers, boolean announce, long downloadLimit, long uploadLimit,
                           boolean trustedComplete) {
    public SwarmOptions {
        peers = List.copyOf(peers);
    }

    public static SwarmOptions defaults() {
        return new SwarmOptions(List.of(), true, 0, 0, false);
    }

    public SwarmOptions withPeers(List<InetSocketAddress> peers) {
        return new SwarmOptions(peers, announce, downloadLimit, uploadLimit, trustedComplete);
    }

    public SwarmOptions withAnnounce(boolean announce) {
        return new SwarmOptions(peers, announce, downloadLimit, uploadLimit, trustedComplete);
    }

    public SwarmOptions trusted() {
        return new SwarmOptions(peers, announce, downloadLimit, uploadLimit, true);
    }
}

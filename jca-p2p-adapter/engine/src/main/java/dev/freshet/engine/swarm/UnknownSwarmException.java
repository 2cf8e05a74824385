package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;

/** No swarm with this info-hash is in the engine. */
public final class UnknownSwarmException extends RuntimeException {
    private final InfoHash infoHash;

    public UnknownSwarmException(InfoHash infoHash) {
        super("no swarm with info-hash " + infoHash);
        this.infoHash = infoHash;
    }

    public InfoHash infoHash() {
        return infoHash;
    }
}

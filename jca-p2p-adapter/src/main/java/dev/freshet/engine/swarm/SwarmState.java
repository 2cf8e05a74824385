package dev.freshet.engine.swarm;

/** Life of a swarm in the engine. */
public enum SwarmState {
    /** Checking which pieces on disk are valid. */
    CHECKING,
    /** Fetching missing pieces (and uploading what it has). */
    DOWNLOADING,
    /** Has every wanted piece; uploads only. */
    SEEDING,
    /** Stopped by the user: no connections, state kept. */
    PAUSED,
    /** Stopped on an error (see the last {@link EngineEvent.SwarmError}). */
    ERROR
}

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
    /**
     * Stopped by a condition that passes: its disk is full. No connections; it checks every few seconds and goes
     * on by itself once there is room again (the reason is in {@link SwarmStatus#error()} meanwhile).
     */
    STALLED,
    /** Stopped on an error (see the last {@link EngineEvent.SwarmError}). */
    ERROR
}

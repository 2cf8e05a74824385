package dev.freshet.control;

import dev.freshet.engine.swarm.SwarmState;

/**
 * The state of a swarm on this node, as users see it: the engine's states, and {@link #STOPPED} for a swarm the
 * catalog holds that the engine does not run (it failed to start, or the engine is not there). One enum for the
 * API, the console's filter and the metrics; its {@link #label() label} is the API's form.
 */
public enum NodeSwarmState {
    CHECKING, DOWNLOADING, SEEDING, PAUSED, STALLED, ERROR, STOPPED;

    /** The engine's state of a running swarm. */
    public static NodeSwarmState of(SwarmState engineState) {
        return valueOf(engineState.name());
    }

    /** {@code downloading}, {@code stopped}, ...: the form in the API and the console. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

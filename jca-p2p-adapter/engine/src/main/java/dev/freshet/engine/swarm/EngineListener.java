package dev.freshet.engine.swarm;

/**
 * Receives the engine's events, on the network thread and in order. Implementations must return
 * quickly and never call blocking engine methods; hand the event to another thread instead.
 */
@FunctionalInterface
public interface EngineListener {
    void onEvent(EngineEvent event);

    EngineListener NONE = event -> { };
}

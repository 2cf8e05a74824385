package dev.freshet.adapter.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

import java.io.Serializable;

/** Looked up by the application (for example {@code java:app/freshet/engine}); hands out connections to the node's engine. */
public interface EngineConnectionFactory extends Serializable, Referenceable {
    EngineConnection getConnection() throws ResourceException;
}

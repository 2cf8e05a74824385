package dev.freshet.control;

import dev.freshet.adapter.api.EngineConnection;
import dev.freshet.adapter.api.EngineConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.resource.ResourceException;

/**
 * The node's engine, through the resource adapter's connection factory. The binding name is the same in
 * every packaging; the WAR's {@code web.xml} or the EAR's {@code application.xml} defines it.
 */
@ApplicationScoped
public class NodeEngine {
    public static final String BINDING = "java:app/freshet/engine";

    @Resource(lookup = BINDING)
    EngineConnectionFactory factory;

    /** A work unit over one connection, which is closed afterwards. */
    public interface Work<T, E extends Exception> {
        T apply(EngineConnection connection) throws E;
    }

    /** A work unit that answers nothing. */
    public interface Action {
        void apply(EngineConnection connection);
    }

    public void run(Action action) {
        try (EngineConnection c = connect()) {
            action.apply(c);
        }
    }

    public <T, E extends Exception> T call(Work<T, E> work) throws E {
        try (EngineConnection c = connect()) {
            return work.apply(c);
        }
    }

    /** What the health check tells: the engine answers, on which peer port, with how many swarms. */
    public record Probe(int peerPort, int swarms) {
    }

    /** Asks the engine (its network thread) now; throws when it does not answer. */
    public Probe probe() {
        return call(c -> new Probe(c.peerAddress().getPort(), c.statuses().size()));
    }

    private EngineConnection connect() {
        try {
            return factory.getConnection();
        } catch (ResourceException e) {
            throw new IllegalStateException("the Freshet peer engine is not available (is jca-p2p-adapter.rar deployed "
                    + "and started?): " + e.getMessage(), e);
        }
    }
}

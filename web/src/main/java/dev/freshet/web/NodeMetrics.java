package dev.freshet.web;

import dev.freshet.control.NodeEngine;
import dev.freshet.engine.swarm.SwarmState;
import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The node's own figures in {@code /metrics} (application scope), read from the engine when scraped;
 * one engine snapshot serves every gauge of a scrape (it is kept for a second).
 */
@ApplicationScoped
public class NodeMetrics {
    @Inject
    NodeEngine engine;
    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private List<SwarmStatus> snapshot = List.of();
    private long snapshotAt;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("freshet.swarms", "swarms on this node", MetricUnits.NONE, s -> 1);
        gauge("freshet.swarms.seeding", "swarms this node holds whole", MetricUnits.NONE,
                s -> s.state() == SwarmState.SEEDING ? 1 : 0);
        gauge("freshet.peers", "connected peers over all swarms", MetricUnits.NONE, s -> s.peers().size());
        gauge("freshet.download.rate", "payload bytes per second received", MetricUnits.BYTES, SwarmStatus::downloadRate);
        gauge("freshet.upload.rate", "payload bytes per second sent", MetricUnits.BYTES, SwarmStatus::uploadRate);
        gauge("freshet.downloaded", "payload bytes received since the node started", MetricUnits.BYTES,
                SwarmStatus::downloaded);
        gauge("freshet.uploaded", "payload bytes sent since the node started", MetricUnits.BYTES, SwarmStatus::uploaded);
    }

    private void gauge(String name, String description, String unit, ToLongFunction<SwarmStatus> each) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(),
                this, m -> m.statuses().stream().mapToLong(each).sum());
    }

    private synchronized List<SwarmStatus> statuses() {
        long now = System.nanoTime();
        if (now - snapshotAt > 1_000_000_000L) {
            try {
                snapshot = engine.call(c -> c.statuses());
            } catch (RuntimeException engineDown) {
                snapshot = List.of(); // the health check says why; metrics just show nothing
            }
            snapshotAt = now;
        }
        return snapshot;
    }
}

package dev.freshet.web;

import dev.freshet.control.EngineSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import java.util.function.ToLongFunction;

/**
 * The node's own figures in {@code /metrics} (application scope), from the control plane's shared engine snapshot
 * (at most a second old, read once for all gauges of a scrape and for everything else that polls the engine).
 */
@ApplicationScoped
public class NodeMetrics {
    @Inject
    EngineSnapshot snapshot;
    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("freshet.swarms", "swarms on this node", MetricUnits.NONE, EngineSnapshot.Totals::swarms);
        gauge("freshet.swarms.seeding", "swarms this node holds whole", MetricUnits.NONE, EngineSnapshot.Totals::seeding);
        gauge("freshet.peers", "connected peers over all swarms", MetricUnits.NONE, EngineSnapshot.Totals::peers);
        gauge("freshet.download.rate", "payload bytes per second received", MetricUnits.BYTES,
                EngineSnapshot.Totals::downloadRate);
        gauge("freshet.upload.rate", "payload bytes per second sent", MetricUnits.BYTES, EngineSnapshot.Totals::uploadRate);
        gauge("freshet.downloaded", "payload bytes received since the node started", MetricUnits.BYTES,
                EngineSnapshot.Totals::downloaded);
        gauge("freshet.uploaded", "payload bytes sent since the node started", MetricUnits.BYTES,
                EngineSnapshot.Totals::uploaded);
    }

    private void gauge(String name, String description, String unit, ToLongFunction<EngineSnapshot.Totals> figure) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(),
                this, m -> figure.applyAsLong(m.snapshot.totals()));
    }
}

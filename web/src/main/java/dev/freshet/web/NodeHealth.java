package dev.freshet.web;

import dev.freshet.control.NodeEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the application has started (see {@link Started}) and the peer engine answers; reports where peers
 * reach it and how many swarms it runs.
 */
@Readiness
@ApplicationScoped
public class NodeHealth implements HealthCheck {
    @Inject
    NodeEngine engine;

    @Override
    public HealthCheckResponse call() {
        if (!Started.isStarted()) {
            return HealthCheckResponse.named("freshet-engine").down().withData("starting", "the application").build();
        }
        try {
            NodeEngine.Probe probe = engine.probe();
            return HealthCheckResponse.named("freshet-engine").up().withData("peerPort", probe.peerPort())
                    .withData("swarms", probe.swarms()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("freshet-engine").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}

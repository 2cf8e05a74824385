package dev.freshet.web;

import dev.freshet.control.NodeSettings;
import dev.freshet.control.catalog.Catalog;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.nio.file.Files;

/**
 * Ready when the catalog answers a query. Before issue 10 (case 5) a catalog closed by a full disk answered every
 * call with 500 while the node said it was up; now the check says why it is down, and how much room the data
 * directory has left.
 */
@Readiness
@ApplicationScoped
public class CatalogHealth implements HealthCheck {
    @EJB
    Catalog catalog;
    @Inject
    NodeSettings settings;

    @Override
    public HealthCheckResponse call() {
        var check = HealthCheckResponse.named("freshet-catalog");
        try {
            check.withData("diskFreeBytes", Files.getFileStore(settings.dataDir()).getUsableSpace());
        } catch (java.io.IOException | RuntimeException e) {
            check.withData("diskFree", "unknown: " + e.getMessage());
        }
        if (!Started.isStarted()) {
            return check.down().withData("starting", "the application").build();
        }
        try {
            return check.up().withData("swarmRecords", catalog.swarmCount()).build();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            // the first line only: SQL and library details stay in the log
            String why = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
            return check.down().withData("error", "the catalog cannot be read: " + why).build();
        }
    }
}

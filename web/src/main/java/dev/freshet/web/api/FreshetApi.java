package dev.freshet.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

@ApplicationPath("api")
@OpenAPIDefinition(info = @Info(title = "Freshet", version = "0.1",
        description = "Peer-to-peer distribution of large artifacts: swarms, cluster, settings of one node."))
public class FreshetApi extends Application {
}

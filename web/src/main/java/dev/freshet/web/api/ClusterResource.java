package dev.freshet.web.api;

import dev.freshet.control.ClusterQueries;
import dev.freshet.web.api.facade.ClusterDto;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/cluster}: members, offices, peer addresses and who holds what, as the directory knows it. */
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    @jakarta.inject.Inject
    ClusterQueries cluster;

    @GET
    public ClusterDto cluster() {
        return ClusterDto.of(cluster.overview());
    }

    /** {@code /api/cluster/trust}: the trust part alone, what the console polls for its banner. */
    @GET
    @Path("trust")
    public ClusterDto.TrustDto trust() {
        return ClusterDto.TrustDto.of(cluster.trust());
    }
}

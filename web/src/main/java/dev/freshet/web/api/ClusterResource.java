package dev.freshet.web.api;

import dev.freshet.control.ClusterView;
import dev.freshet.control.Swarms;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/cluster}: members, offices, peer addresses and who holds what, as the directory knows it. */
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    @EJB
    Swarms swarms;

    @GET
    public ClusterView cluster() {
        return swarms.cluster();
    }
}

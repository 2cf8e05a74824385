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

    @jakarta.ejb.EJB
    dev.freshet.control.Unpublishing unpublishing;
    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.SecurityContext security;

    /**
     * {@code DELETE /api/cluster/swarms/{infoHash}} (admin only): takes the swarm out of the whole cluster. Every node
     * that holds it removes it and the data it keeps in its own directory (a publisher's files published from a server
     * path stay), now or when it comes back; no node fetches or publishes it again until someone publishes or adds it
     * anew. Answers what was recorded: {@code infoHash}, {@code name}, {@code by}, {@code at} (epoch millis).
     */
    @jakarta.ws.rs.DELETE
    @Path("swarms/{infoHash}")
    public dev.freshet.control.directory.Unpublished unpublish(@jakarta.ws.rs.PathParam("infoHash") String infoHash) {
        return unpublishing.unpublish(infoHash, security.getUserPrincipal().getName());
    }

    /** {@code /api/cluster/swarms/unpublished}: the swarms taken out of the cluster, newest first. */
    @GET
    @Path("swarms/unpublished")
    public java.util.List<dev.freshet.control.directory.Unpublished> unpublished() {
        return unpublishing.all();
    }

    /** {@code /api/cluster/trust}: the trust part alone, what the console polls for its banner. */
    @GET
    @Path("trust")
    public ClusterDto.TrustDto trust() {
        return ClusterDto.TrustDto.of(cluster.trust());
    }
}

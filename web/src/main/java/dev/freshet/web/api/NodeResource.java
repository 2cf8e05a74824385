package dev.freshet.web.api;

import dev.freshet.control.NodeSettings;
import dev.freshet.control.Publications;
import dev.freshet.control.RateHistory;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;
import java.util.Map;

/** Who is asking, what this node is hashing now, and its rates over the last ten minutes. */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {
    @Inject
    Publications publications;
    @EJB
    RateHistory rates;
    @Inject
    NodeSettings settings;

    /** The signed-in user, its role (the highest it has) and whether it may change things; the console shows controls by it. */
    @GET
    @Path("me")
    public Map<String, Object> me(@Context SecurityContext security) {
        String role = dev.freshet.control.Roles.highest(security::isUserInRole);
        return Map.of("user", security.getUserPrincipal().getName(), "admin", role.equals("admin"), "role", role,
                "office", settings.office());
    }

    /** {@code [[epochSecond, down, up], ...]}, oldest first, for the node as a whole. */
    @GET
    @Path("rates")
    public List<long[]> nodeRates() {
        return samples(RateHistory.NODE);
    }

    @GET
    @Path("rates/{infoHash}")
    public List<long[]> swarmRates(@PathParam("infoHash") String infoHash) {
        return samples(infoHash.toLowerCase());
    }

    private List<long[]> samples(String key) {
        return rates.of(key).stream().map(s -> new long[] {s.time(), s.down(), s.up()}).toList();
    }
}

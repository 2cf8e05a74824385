package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.RateLimits;
import dev.freshet.control.Swarms;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/settings}: this node's global rate limits (bytes per second, 0 = unlimited), kept across restarts. */
@Path("settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {
    @EJB
    Swarms swarms;

    @GET
    public RateLimits get() {
        return swarms.limits();
    }

    @PUT
    public RateLimits put(RateLimits limits) {
        if (limits == null) {
            throw new InvalidRequestException("send {\"downloadLimit\": bytesPerSecond, \"uploadLimit\": bytesPerSecond}");
        }
        return swarms.setLimits(limits);
    }
}

package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.RateLimits;
import dev.freshet.control.Limits;
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
    Limits limits;

    @GET
    public RateLimits get() {
        return limits.current();
    }

    /** Each limit a whole number of bytes per second that fits ({@link JsonRates}). */
    @PUT
    public RateLimits put(jakarta.json.JsonObject body) {
        if (body == null) {
            throw new InvalidRequestException(USAGE);
        }
        return limits.set(new RateLimits(JsonRates.read(body, "downloadLimit", USAGE),
                JsonRates.read(body, "uploadLimit", USAGE)));
    }

    private static final String USAGE = "send {\"downloadLimit\": bytesPerSecond, \"uploadLimit\": bytesPerSecond}";
}

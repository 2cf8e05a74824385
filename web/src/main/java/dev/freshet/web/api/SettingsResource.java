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

    /**
     * Read from the JSON tree rather than bound by JSON-B, which silently wraps a number past 2^63 (2^64+1 became
     * 1 B/s): each limit must be a whole number of bytes per second that fits.
     */
    @PUT
    public RateLimits put(jakarta.json.JsonObject body) {
        if (body == null) {
            throw new InvalidRequestException(USAGE);
        }
        return limits.set(new RateLimits(limit(body, "downloadLimit"), limit(body, "uploadLimit")));
    }

    private static final String USAGE = "send {\"downloadLimit\": bytesPerSecond, \"uploadLimit\": bytesPerSecond}";

    private static long limit(jakarta.json.JsonObject body, String name) {
        jakarta.json.JsonValue v = body.get(name);
        if (v == null || v.getValueType() == jakarta.json.JsonValue.ValueType.NULL) {
            return 0;
        }
        if (!(v instanceof jakarta.json.JsonNumber n)) {
            throw new InvalidRequestException("'" + name + "' must be a number of bytes per second; " + USAGE);
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidRequestException("'" + name + "' must be a whole number of bytes per second from 0 to "
                    + Long.MAX_VALUE + "; got " + n);
        }
    }
}

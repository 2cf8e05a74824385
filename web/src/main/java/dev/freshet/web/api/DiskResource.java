package dev.freshet.web.api;

import dev.freshet.control.Disks;
import dev.freshet.control.InvalidRequestException;
import jakarta.ejb.EJB;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Set;

/**
 * {@code /api/disk}: this node's data disk, what its swarms hold, and the limits on their downloads (issue 14):
 * {@code highWatermark} and {@code lowWatermark} (percent of the data disk: fetching stops at the high one and goes on
 * below the low one) and {@code quota} (bytes the node's swarms may hold, 0 = none). Anyone signed in reads it; an
 * admin changes any of the three (kept across restarts).
 */
@Path("disk")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DiskResource {
    private static final String USAGE = "send any of {\"highWatermark\": percent, \"lowWatermark\": percent, "
            + "\"quota\": bytes}, with 1 <= low <= high <= 100 and quota 0 (none) or more";
    private static final Set<String> FIELDS = Set.of("highWatermark", "lowWatermark", "quota");

    @EJB
    Disks disks;

    @GET
    public Disks.DiskStatus get() {
        return disks.status();
    }

    @PUT
    public Disks.DiskStatus put(JsonObject body) {
        if (body == null || body.isEmpty()) {
            throw new InvalidRequestException(USAGE);
        }
        for (String k : body.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new InvalidRequestException("unknown field '" + k + "': " + USAGE);
            }
        }
        Long high = whole(body, "highWatermark", 100);
        Long low = whole(body, "lowWatermark", 100);
        return disks.set(high == null ? null : high.intValue(), low == null ? null : low.intValue(),
                whole(body, "quota", Long.MAX_VALUE));
    }

    /** The field as a whole number in 0..max, null when absent. */
    private static Long whole(JsonObject body, String name, long max) {
        JsonValue v = body.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            throw new InvalidRequestException("'" + name + "' must be a whole number: " + USAGE);
        }
        try {
            long value = n.bigIntegerValueExact().longValueExact();
            if (value < 0 || value > max) {
                throw new ArithmeticException();
            }
            return value;
        } catch (ArithmeticException e) {
            throw new InvalidRequestException("'" + name + "' is out of range: " + USAGE);
        }
    }
}

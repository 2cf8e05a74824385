package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Rates (bytes per second) in a JSON body, read from the JSON tree rather than bound by JSON-B, which silently wraps a
 * number past 2^63 (2^64+1 became 1 B/s): for {@code /api/settings} and the offices' budgets alike.
 */
final class JsonRates {
    private JsonRates() {
    }

    /** Field {@code name} of {@code body}: absent or null is 0; anything but a whole number that fits is refused. */
    static long read(JsonObject body, String name, String usage) {
        JsonValue v = body.get(name);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return 0;
        }
        if (!(v instanceof JsonNumber n)) {
            throw new InvalidRequestException("'" + name + "' must be a number of bytes per second; " + usage);
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidRequestException("'" + name + "' must be a whole number of bytes per second from 0 to "
                    + Long.MAX_VALUE + "; got " + n);
        }
    }
}

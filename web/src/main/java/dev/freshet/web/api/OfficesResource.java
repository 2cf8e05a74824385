package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.offices.BudgetSchedule;
import dev.freshet.control.offices.OfficeBudgets;
import dev.freshet.control.offices.OfficesQueries;
import dev.freshet.web.api.facade.OfficesDto;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/offices}: the offices, what crosses their WAN links, and their WAN budgets. A budget is set for the
 * whole cluster from any node ({@code PUT /api/offices/{office}/budget}, admin), kept across restarts, and held by
 * the office's nodes together within a few per cent over ten seconds.
 */
@Path("offices")
@Produces(MediaType.APPLICATION_JSON)
public class OfficesResource {
    private static final String USAGE = "send {\"inLimit\": bytesPerSecond, \"outLimit\": bytesPerSecond} (0: no cap "
            + "in that direction), optionally with \"timeZone\": \"Europe/Paris\" and \"schedule\": [{\"days\": \"MON-FRI\", "
            + "\"from\": \"08:00\", \"to\": \"18:00\", \"inLimit\": ..., \"outLimit\": ...}]";
    private static final Set<String> BUDGET_FIELDS = Set.of("inLimit", "outLimit", "timeZone", "schedule");
    private static final Set<String> WINDOW_FIELDS = Set.of("days", "from", "to", "inLimit", "outLimit");

    @Inject
    OfficesQueries offices;
    @Inject
    OfficeBudgets budgets;

    @GET
    public OfficesDto offices() {
        return OfficesDto.of(offices.overview());
    }

    @GET
    @Path("{office}/budget")
    public OfficesDto.BudgetDto budget(@PathParam("office") String office) {
        dev.freshet.control.Offices.requireValid(office);
        return budgets.of(office).map(OfficesDto.BudgetDto::of)
                .orElseThrow(() -> new jakarta.ws.rs.NotFoundException("office " + office + " has no WAN budget"));
    }

    /** The limits read as {@code /api/settings} reads its own ({@link JsonRates}). */
    @PUT
    @Path("{office}/budget")
    @Consumes(MediaType.APPLICATION_JSON)
    public OfficesDto.BudgetDto setBudget(@PathParam("office") String office, JsonObject body) {
        if (body == null) {
            throw new InvalidRequestException(USAGE);
        }
        onlyFields(body, BUDGET_FIELDS, "");
        return OfficesDto.BudgetDto.of(budgets.set(office, JsonRates.read(body, "inLimit", USAGE),
                JsonRates.read(body, "outLimit", USAGE), schedule(body)));
    }

    /** The weekly schedule of a budget's body (none when it has no {@code schedule}). */
    private static BudgetSchedule schedule(JsonObject body) {
        JsonValue zone = body.get("timeZone");
        if (zone != null && zone.getValueType() != JsonValue.ValueType.NULL && !(zone instanceof JsonString)) {
            throw new InvalidRequestException("'timeZone' is the name of a time zone, such as Europe/Paris");
        }
        JsonValue list = body.get("schedule");
        if (list == null || list.getValueType() == JsonValue.ValueType.NULL) {
            if (zone instanceof JsonString) {
                throw new InvalidRequestException("'timeZone' is the zone of a 'schedule', and none was given; " + USAGE);
            }
            return BudgetSchedule.NONE;
        }
        if (!(list instanceof JsonArray windows)) {
            throw new InvalidRequestException("'schedule' is a list of windows; " + USAGE);
        }
        List<BudgetSchedule.Window> out = new ArrayList<>();
        for (JsonValue v : windows) {
            if (!(v instanceof JsonObject w)) {
                throw new InvalidRequestException("each window of 'schedule' is an object; " + USAGE);
            }
            onlyFields(w, WINDOW_FIELDS, " in a schedule window");
            out.add(BudgetSchedule.Window.of(text(w, "days"), text(w, "from"), text(w, "to"),
                    JsonRates.read(w, "inLimit", USAGE), JsonRates.read(w, "outLimit", USAGE)));
        }
        return new BudgetSchedule(BudgetSchedule.zone(zone instanceof JsonString s ? s.getString() : null), out);
    }

    /** Refuses a field of {@code object} ({@code where} says which) that is not one of {@code known}. */
    private static void onlyFields(JsonObject object, Set<String> known, String where) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidRequestException("unknown field '" + key + "'" + where + "; " + USAGE);
            }
        }
    }

    private static String text(JsonObject window, String field) {
        JsonValue v = window.get(field);
        if (!(v instanceof JsonString s)) {
            throw new InvalidRequestException("a schedule window needs '" + field + "' as text; " + USAGE);
        }
        return s.getString();
    }

    /** Lifts an office's budget: its nodes move what their links allow. */
    @DELETE
    @Path("{office}/budget")
    public OfficesDto.BudgetDto lift(@PathParam("office") String office) {
        return OfficesDto.BudgetDto.of(budgets.set(office, 0, 0, BudgetSchedule.NONE));
    }
}

package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.offices.OfficeBudgets;
import dev.freshet.control.offices.OfficesQueries;
import dev.freshet.web.api.facade.OfficesDto;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
            + "in that direction)";

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
        for (String key : body.keySet()) {
            if (!Set.of("inLimit", "outLimit").contains(key)) {
                throw new InvalidRequestException("unknown field '" + key + "'; " + USAGE);
            }
        }
        return OfficesDto.BudgetDto.of(budgets.set(office, JsonRates.read(body, "inLimit", USAGE),
                JsonRates.read(body, "outLimit", USAGE)));
    }

    /** Lifts an office's budget: its nodes move what their links allow. */
    @DELETE
    @Path("{office}/budget")
    public OfficesDto.BudgetDto lift(@PathParam("office") String office) {
        return OfficesDto.BudgetDto.of(budgets.set(office, 0, 0));
    }
}

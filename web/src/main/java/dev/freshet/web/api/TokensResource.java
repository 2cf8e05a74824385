package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.tokens.ApiTokens;
import dev.freshet.web.api.facade.TokenDto;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * API tokens (issue 16; admin only, {@code web.xml}): create one with a role, an optional office scope and expiry (the
 * token is in the answer, this once), list them (never a secret), revoke one.
 */
@Path("tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {
    private static final String USAGE = "send {\"name\": \"ci-pipeline\", \"role\": \"publisher\", \"offices\": "
            + "[\"paris\"], \"expiresAt\": \"2027-06-30T00:00:00Z\"} (offices and expiresAt optional)";

    @Inject
    ApiTokens tokens;
    @Context
    SecurityContext security;
    @Context
    UriInfo uri;

    @GET
    public List<TokenDto> list() {
        return tokens.all().stream().map(t -> TokenDto.of(t, null)).toList();
    }

    @GET
    @Path("{id}")
    public TokenDto get(@PathParam("id") String id) {
        return TokenDto.of(tokens.find(id).orElseThrow(() -> unknown(id)), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        if (body == null) {
            throw new InvalidRequestException(USAGE);
        }
        for (String key : body.keySet()) {
            if (!Set.of("name", "role", "offices", "expiresAt").contains(key)) {
                throw new InvalidRequestException("unknown field '" + key + "'; " + USAGE);
            }
        }
        List<String> offices = new ArrayList<>();
        JsonValue o = body.get("offices");
        if (o != null && o.getValueType() != JsonValue.ValueType.NULL) {
            if (o.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new InvalidRequestException("'offices' must be a list of office names; " + USAGE);
            }
            for (JsonValue v : o.asJsonArray()) {
                if (!(v instanceof JsonString s)) {
                    throw new InvalidRequestException("'offices' must be a list of office names; " + USAGE);
                }
                offices.add(s.getString());
            }
        }
        long expiresAt = 0;
        JsonValue e = body.get("expiresAt");
        if (e != null && e.getValueType() != JsonValue.ValueType.NULL) {
            try {
                expiresAt = Instant.parse(((JsonString) e).getString()).toEpochMilli();
            } catch (ClassCastException | DateTimeParseException bad) {
                throw new InvalidRequestException("'expiresAt' must be an ISO-8601 instant such as 2027-06-30T00:00:00Z");
            }
        }
        ApiTokens.Created c = tokens.create(text(body, "name"), text(body, "role"), offices, expiresAt,
                security.getUserPrincipal() == null ? "" : security.getUserPrincipal().getName());
        return Response.created(uri.getBaseUriBuilder().path("tokens").path(c.token().id()).build())
                .entity(TokenDto.of(c.token(), c.secret())).build();
    }

    /** Revokes a token for good (again: no change). */
    @DELETE
    @Path("{id}")
    public TokenDto revoke(@PathParam("id") String id) {
        return TokenDto.of(tokens.revoke(id).orElseThrow(() -> unknown(id)), null);
    }

    private static String text(JsonObject body, String name) {
        JsonValue v = body.get(name);
        if (!(v instanceof JsonString s)) {
            throw new InvalidRequestException("'" + name + "' is required (a string); " + USAGE);
        }
        return s.getString();
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("no API token " + id);
    }
}

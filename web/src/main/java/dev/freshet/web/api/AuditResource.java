package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.audit.AuditLog;
import dev.freshet.control.catalog.AuditRecord;
import jakarta.ejb.EJB;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The cluster's audit log as this node holds it (issue 16; admin only, {@code web.xml}; every node holds what every
 * node served, {@code AuditRelay}), newest first: {@code ?who=} (a user, or {@code token:<id>}), {@code ?action=} (a
 * part of it, e.g. {@code DELETE} or {@code /budget}), {@code ?node=} (the node that served it), {@code ?since=} and
 * {@code ?until=} (ISO-8601 instants), {@code ?limit=} (1 to 10,000; 100); {@code ?format=jsonl} exports it as JSON
 * lines, one entry a line.
 */
@Path("audit")
public class AuditResource {
    private static final Jsonb JSON = JsonbBuilder.create();
    @EJB
    AuditLog log;

    public record Entry(String id, String at, String node, String who, String role, String action, String target,
                        String address, int result) {
        static Entry of(AuditRecord r) {
            return new Entry(r.id(), Instant.ofEpochMilli(r.at()).toString(), r.node(), r.who(), r.role(), r.action(),
                    r.target(), r.address(), r.result());
        }
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "application/x-ndjson"})
    public Response entries(@QueryParam("who") String who, @QueryParam("action") String action,
                            @QueryParam("node") String node,
                            @QueryParam("since") String since, @QueryParam("until") String until,
                            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("format") String format) {
        List<Entry> entries = log.find(who, action, node, instant("since", since), instant("until", until), limit).stream()
                .map(Entry::of).toList();
        if (format == null || format.equals("json")) {
            return Response.ok(entries, MediaType.APPLICATION_JSON).build();
        }
        if (!format.equals("jsonl")) {
            throw new InvalidRequestException("'format' is json (the default) or jsonl (JSON lines)");
        }
        StringBuilder lines = new StringBuilder();
        for (Entry e : entries) {
            lines.append(JSON.toJson(e)).append('\n'); // each line what the JSON list holds
        }
        return Response.ok(lines.toString(), "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"freshet-audit.jsonl\"").build();
    }

    private static long instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("'" + name + "' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}

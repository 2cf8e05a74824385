package dev.freshet.web.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/events}: server-sent events, once a second when something changed. Always {@code node}
 * (this node's swarms without per-piece detail, its rates, what it is hashing): the first carries the whole list
 * ({@code swarms}), the next ones only the swarms that changed ({@code changed}, whole entries) and the info-hashes
 * of those gone ({@code removed}), so that thousands of idle swarms cost nothing a second; with {@code ?swarm=<hash>}
 * also {@code swarm} (that swarm in full, or {@code {"infoHash": ..., "gone": true}}); with
 * {@code ?cluster=true} also {@code cluster} (as {@code /api/cluster}). Each {@code data} is JSON.
 */
@Path("events")
public class EventsResource {
    @Inject
    EventStreams streams;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse, @Context jakarta.ws.rs.core.SecurityContext security,
                       @QueryParam("swarm") String swarm, @QueryParam("cluster") boolean cluster) {
        String user = security.getUserPrincipal() == null ? "" : security.getUserPrincipal().getName();
        streams.open(sink, sse, swarm == null || swarm.isBlank() ? null : swarm.trim().toLowerCase(), cluster, user,
                security.isUserInRole(dev.freshet.web.security.NodeAccounts.ADMIN));
    }
}

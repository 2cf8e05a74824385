package dev.freshet.web.api;

import dev.freshet.control.PublicationJobs;
import dev.freshet.control.Publications;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Publications (issue 14): {@code GET /api/publications} what this node hashes right now (the console's cards);
 * {@code ?recent=N} the latest N background publications whatever their state; {@code GET /api/publications/{id}}
 * one, as {@code POST /api/swarms} answered 202 with its {@code Location}.
 */
@Path("publications")
@Produces(MediaType.APPLICATION_JSON)
public class PublicationsResource {
    @Inject
    Publications publications;
    @Inject
    PublicationJobs jobs;
    @Inject
    PublicationsView view;

    @GET
    public Object list(@QueryParam("recent") @DefaultValue("0") int recent) {
        if (recent <= 0) {
            return publications.running();
        }
        if (recent > 1000) {
            throw new dev.freshet.control.InvalidRequestException("'recent' is 1 to 1000");
        }
        return jobs.recent(recent).stream().map(view::view).toList();
    }

    @GET
    @Path("{id}")
    public PublicationsView.PublicationDto get(@PathParam("id") String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new dev.freshet.control.InvalidRequestException("a publication's id is a UUID, not " + id);
        }
        return view.view(id);
    }
}

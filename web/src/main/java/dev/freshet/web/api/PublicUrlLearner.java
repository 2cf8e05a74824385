package dev.freshet.web.api;

import dev.freshet.control.NodeSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Without {@code freshet.public.url}, the node learns its public base URL (for the announce URLs it puts in
 * torrents) from the first API request it gets: the address its clients use.
 */
@Provider
public class PublicUrlLearner implements ContainerRequestFilter {
    @Inject
    NodeSettings settings;

    @Override
    public void filter(ContainerRequestContext request) {
        if (settings.publicUrl().isEmpty()) {
            String base = request.getUriInfo().getBaseUri().toString(); // http://host:port/api/
            settings.learnPublicUrl(base.replaceFirst("api/?$", ""));
        }
    }
}

package dev.freshet.web.api;

import dev.freshet.web.security.NodeAccounts;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.PublishOptions;
import dev.freshet.control.NodeSwarms;
import dev.freshet.control.Publishing;
import dev.freshet.web.api.facade.SwarmAssembler;
import dev.freshet.web.api.facade.SwarmDto;
import jakarta.ejb.EJB;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** {@code /api/swarms}: the swarms of this node. */
@Path("swarms")
@Produces(MediaType.APPLICATION_JSON)
public class SwarmsResource {
    @Context
    jakarta.ws.rs.core.SecurityContext security;

    @Context
    jakarta.servlet.http.HttpServletRequest http;

    /** Whether the caller may have private swarms' keys (see {@link SwarmAssembler#toDto}). */
    private boolean withKeys() {
        return security.isUserInRole(NodeAccounts.ADMIN);
    }

    /**
     * A caller with an office-scoped API token, or whose directory or provider groups are scoped to offices
     * ({@code freshet.roles.offices}), publishes or adds only with {@code offices:} policies within its
     * offices (issue 16); {@code otherwise}: the policy an absent one stands for.
     */
    private void requireScope(String policyText, dev.freshet.control.Policy otherwise) {
        if (http.getAttribute(dev.freshet.web.security.BasicAuthentication.OFFICES) instanceof java.util.Set<?> offices) {
            dev.freshet.control.Policy p = policyText == null || policyText.isBlank() ? otherwise
                    : dev.freshet.control.Policy.parse(policyText);
            java.util.List<String> scope = offices.stream().map(String::valueOf).sorted().toList();
            if (!p.within(scope)) {
                throw new dev.freshet.control.PublishRefusedException(security.getUserPrincipal().getName()
                        + " publishes for offices " + String.join(",", scope) + " only: with a policy "
                        + "offices:<some of them>, not " + p);
            }
        }
    }

    public static final String BITTORRENT = "application/x-bittorrent";
    private static final int MAX_TORRENT = 32 << 20;

    @EJB
    NodeSwarms swarms;
    @EJB
    Publishing publishing;
    @Context
    UriInfo uri;

    /**
     * The swarms on this node. Without parameters, all of them. {@code ?limit=} (1 to 1000) pages them in order of
     * name then info-hash: the body is the page, and a {@code Link: <...>; rel="next"} header (RFC 8288) carries the
     * {@code cursor} of the next page while there is one; {@code ?state=} (downloading, seeding, paused, ...) and
     * {@code ?q=} (a part of the name, or the start of the info-hash) filter, paged or not.
     */
    @GET
    public Response list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
                         @QueryParam("state") String state, @QueryParam("q") String q) {
        dev.freshet.control.NodeSwarmState wanted = null;
        if (state != null && !state.isBlank()) {
            wanted = java.util.Arrays.stream(dev.freshet.control.NodeSwarmState.values())
                    .filter(v -> v.label().equals(state)).findFirst().orElseThrow(() -> new InvalidRequestException(
                            "'state' is one of " + java.util.Arrays.stream(dev.freshet.control.NodeSwarmState.values())
                                    .map(dev.freshet.control.NodeSwarmState::label).toList() + ", not '" + state + "'"));
        }
        if (q != null && q.length() > 256) {
            throw new InvalidRequestException("'q' is at most 256 characters");
        }
        if (limit == null) {
            if (cursor != null) {
                throw new InvalidRequestException("'cursor' goes with the 'limit' it was given for");
            }
            if (wanted == null && (q == null || q.isBlank())) {
                return Response.ok(SwarmAssembler.toDtos(swarms.list(), withKeys())).build();
            }
        } else if (limit < 1 || limit > 1000) {
            throw new InvalidRequestException("'limit' is 1 to 1000, not " + limit);
        }
        ListCursor.Position after = cursor == null || cursor.isEmpty() ? null : ListCursor.decode(cursor);
        NodeSwarms.Page page = swarms.page(limit == null ? Integer.MAX_VALUE - 1 : limit,
                after == null ? null : after.name(), after == null ? null : after.infoHash(), wanted, q);
        Response.ResponseBuilder ok = Response.ok(SwarmAssembler.toDtos(page.swarms(), withKeys()));
        if (page.more()) {
            var last = page.swarms().get(page.swarms().size() - 1);
            var next = uri.getRequestUriBuilder().replaceQueryParam("cursor", ListCursor.encode(last.name(), last.hex()));
            ok.link(next.build(), "next");
        }
        return ok.build();
    }

    /**
     * JSON: {@code {"path": ..., "policy": ...}} publishes a server path, {@code {"url": ...}} what an HTTP(S) origin
     * serves (a web seed in the torrent), {@code {"magnet": ...}} adds a magnet link.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(AddRequest request) {
        if (request == null) {
            throw new InvalidRequestException("send {\"path\": \"/abs/path\", \"policy\": \"all\"} or {\"magnet\": \"magnet:?xt=...\"}");
        }
        int given = (request.path() != null ? 1 : 0) + (request.url() != null ? 1 : 0) + (request.magnet() != null ? 1 : 0);
        if (given > 1) {
            throw new InvalidRequestException("give one of 'path', 'url' or 'magnet'");
        }
        requireScope(request.policy(), request.magnet() != null ? dev.freshet.control.Policy.ON_DEMAND
                : dev.freshet.control.Policy.ALL);
        if (request.url() != null) {
            return published(publishing.publishUrl(request.url(), request.publishOptions().by(caller())));
        }
        if (request.magnet() != null) {
            return created(publishing.addMagnet(request.magnet(), request.policy(), caller()));
        }
        return published(publishing.publishPath(request.path(), request.publishOptions().by(caller())));
    }

    /** A {@code .torrent} file as the body; {@code ?policy=} optional. */
    @POST
    @Consumes(BITTORRENT)
    public Response addTorrent(InputStream body, @QueryParam("policy") String policy) {
        requireScope(policy, dev.freshet.control.Policy.ON_DEMAND);
        return created(publishing.addTorrent(readBounded(body), policy, caller()));
    }

    /**
     * Multipart with a {@code file} part (published) and optional {@code policy}, {@code private} (true/false)
     * and {@code pieceLength} (bytes) parts, in any order. The file is stored as it arrives, straight into its place
     * under the uploads directory ({@link MultipartStream}): no temporary copy, no whole body in memory.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(InputStream body, @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Content-Length") @DefaultValue("-1") long contentLength) {
        MultipartStream form = new MultipartStream(body, contentType);
        Map<String, String> fields = new java.util.HashMap<>();
        java.nio.file.Path received = null;
        boolean handedOn = false;
        try {
            for (MultipartStream.Part part; (part = form.next()) != null; ) {
                if (part.name().equals("file")) {
                    if (received != null) {
                        throw new InvalidRequestException("the multipart request has more than one 'file' part");
                    }
                    // the request's length is the file's and a few hundred bytes of form: its pieces are hashed
                    // as they arrive at the piece length that size gets (a wrong guess only costs a second pass)
                    received = publishing.receiveUpload(part.fileName(), part.body(), contentLength);
                } else if (FIELDS.contains(part.name())) {
                    fields.put(part.name(), part.text(256));
                } else {
                    throw new InvalidRequestException("unknown form field '" + part.name() + "'; this call takes "
                            + "file, " + String.join(", ", FIELDS));
                }
            }
            if (received == null) {
                throw new InvalidRequestException("the multipart request has no 'file' part");
            }
            PublishOptions options = PublishOptions.parse(fields.get("policy"), fields.get("private"),
                    fields.get("pieceLength"));
            requireScope(fields.get("policy"), dev.freshet.control.Policy.ALL);
            handedOn = true; // from here, publishReceived removes a refused upload itself
            return published(publishing.publishReceived(received, options.by(caller())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload: " + e.getMessage(), e);
        } finally {
            if (received != null && !handedOn) {
                publishing.discardUpload(received);
            }
        }
    }

    private static final java.util.List<String> FIELDS = java.util.List.of("policy", "private", "pieceLength");

    @GET
    @Path("{infoHash}")
    public SwarmDto get(@PathParam("infoHash") String infoHash) {
        return SwarmAssembler.toDto(swarms.view(infoHash), withKeys());
    }

    @GET
    @Path("{infoHash}/torrent")
    @Produces(BITTORRENT)
    public Response torrent(@PathParam("infoHash") String infoHash) {
        byte[] t = swarms.torrent(infoHash, withKeys());
        return Response.ok(t, BITTORRENT)
                .header("Content-Disposition", "attachment; filename=\"" + infoHash.toLowerCase() + ".torrent\"").build();
    }

    @GET
    @Path("{infoHash}/magnet")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Response magnet(@PathParam("infoHash") String infoHash, @Context jakarta.ws.rs.core.HttpHeaders headers) {
        String magnet = swarms.magnet(infoHash, withKeys());
        boolean text = headers.getAcceptableMediaTypes().stream().findFirst()
                .map(m -> m.isCompatible(MediaType.TEXT_PLAIN_TYPE) && !m.isWildcardType()).orElse(false);
        return text ? Response.ok(magnet, MediaType.TEXT_PLAIN).build()
                : Response.ok(Map.of("infoHash", infoHash.toLowerCase(), "magnet", magnet), MediaType.APPLICATION_JSON).build();
    }

    /**
     * An admin changes any swarm; a publisher only those it published or added on this node (issue 16): 403 for the
     * others, after a 404 for a swarm this node does not hold.
     */
    private void requireOwner(String infoHash, String what) {
        if (security.isUserInRole(NodeAccounts.ADMIN)) {
            return;
        }
        String caller = caller();
        if (!swarms.owner(infoHash).map(caller::equals).orElse(false)) {
            throw new jakarta.ws.rs.ForbiddenException(what + " a swarm takes the role admin, or being the publisher "
                    + "who published or added it on this node; " + caller + " did not");
        }
    }

    @POST
    @Path("{infoHash}/pause")
    public SwarmDto pause(@PathParam("infoHash") String infoHash) {
        requireOwner(infoHash, "pausing");
        return SwarmAssembler.toDto(swarms.pause(infoHash), withKeys());
    }

    @POST
    @Path("{infoHash}/resume")
    public SwarmDto resume(@PathParam("infoHash") String infoHash) {
        requireOwner(infoHash, "resuming");
        return SwarmAssembler.toDto(swarms.resume(infoHash), withKeys());
    }

    @DELETE
    @Path("{infoHash}")
    public Response remove(@PathParam("infoHash") String infoHash, @QueryParam("deleteData") @DefaultValue("false")
            boolean deleteData) {
        requireOwner(infoHash, "removing");
        swarms.remove(infoHash, deleteData);
        return Response.noContent().build();
    }

    private String caller() {
        return security.getUserPrincipal().getName();
    }

    /**
     * 201 with the swarm when it was hashed within the call; 202 with the publication hashing in the background
     * and its {@code Location} ({@code /api/publications/{id}}) to follow.
     */
    private Response published(Publishing.Outcome outcome) {
        if (outcome.jobId() == null) {
            return created(outcome.infoHash());
        }
        return Response.accepted(publications.view(outcome.jobId()))
                .location(uri.getBaseUriBuilder().path("publications").path(outcome.jobId()).build()).build();
    }

    @jakarta.inject.Inject
    PublicationsView publications;

    private Response created(String infoHash) {
        // whoever publishes a swarm gets its key (a publisher included); reading others' keys takes an admin
        SwarmDto v = SwarmAssembler.toDto(swarms.view(infoHash), withKeys() || security.isUserInRole("publisher"));
        return Response.created(uri.getBaseUriBuilder().path("swarms").path(v.infoHash()).build()).entity(v).build();
    }

    private static byte[] readBounded(InputStream in) {
        try {
            byte[] data = in.readNBytes(MAX_TORRENT + 1);
            if (data.length > MAX_TORRENT) {
                throw new InvalidRequestException("a .torrent file may be at most " + MAX_TORRENT + " bytes");
            }
            if (data.length == 0) {
                throw new InvalidRequestException("the request body is empty; send the .torrent file's bytes");
            }
            return data;
        } catch (IOException e) {
            throw new BadRequestException("cannot read the request body: " + e.getMessage(), e);
        }
    }
}

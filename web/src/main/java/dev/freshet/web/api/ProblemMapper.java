package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.PublishRefusedException;
import dev.freshet.control.SwarmConflictException;
import dev.freshet.control.SwarmNotFoundException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every error leaves the API as a problem document. Expected ones carry their message; unexpected ones are
 * logged with their stack under a reference, and the client gets only the reference.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final System.Logger LOG = System.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable t = thrown;
        while (t instanceof EJBException && t.getCause() != null) {
            t = t.getCause();
        }
        // a request body rejected by a value's own check (a negative rate limit, say) arrives wrapped by JSON-B
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (c instanceof InvalidRequestException) {
                t = c;
                break;
            }
        }
        Response.Status status;
        String detail = t.getMessage();
        if (t instanceof InvalidRequestException) {
            status = Response.Status.BAD_REQUEST;
        } else if (t instanceof PublishRefusedException) {
            status = Response.Status.FORBIDDEN;
        } else if (t instanceof SwarmNotFoundException) {
            status = Response.Status.NOT_FOUND;
        } else if (t instanceof SwarmConflictException) {
            status = Response.Status.CONFLICT;
        } else if (t instanceof dev.freshet.control.KeyRefusedException) {
            status = Response.Status.FORBIDDEN;
        } else if (t instanceof dev.freshet.control.UploadTooLargeException) {
            status = Response.Status.REQUEST_ENTITY_TOO_LARGE;
        } else if (t instanceof dev.freshet.control.OriginFailedException) {
            status = Response.Status.BAD_GATEWAY;
        } else if (t instanceof WebApplicationException w) {
            status = Response.Status.fromStatusCode(w.getResponse().getStatus());
            if (status == null) {
                return w.getResponse();
            }
            if (t.getCause() instanceof JsonbException || t.getCause() instanceof ProcessingException) {
                detail = "the request body is not the JSON this call takes: " + t.getCause().getMessage();
            }
        } else if (t instanceof JsonbException || t instanceof ProcessingException) {
            status = Response.Status.BAD_REQUEST;
            detail = "the request body is not the JSON this call takes: " + t.getMessage();
        } else if (catalogFailure(t)) {
            // the catalog could not be read or written (a full disk, say): a condition that passes; the node's pool
            // opens the catalog again once it can (issue 10, case 5)
            status = Response.Status.SERVICE_UNAVAILABLE;
            detail = "the node's catalog cannot be read or written now (is its disk full?); try again later. Its log "
                    + "has the details under reference "
                    + logged(System.Logger.Level.WARNING, "Freshet catalog unavailable", thrown);
        } else if (gridFailure(t)) {
            // a grid call failed: a member paused (its calls come back with a cluster clock that lags) or the grid
            // re-forms; it passes within seconds, and what the node did before the call stands
            status = Response.Status.SERVICE_UNAVAILABLE;
            detail = "the cluster's data grid did not carry out this call (a member paused or the grid is re-forming); "
                    + "try again shortly. The node's log has the details under reference "
                    + logged(System.Logger.Level.WARNING, "Freshet grid call failed", thrown);
        } else {
            // the message of an unexpected failure may name SQL, files or library internals: it stays in the log
            status = Response.Status.INTERNAL_SERVER_ERROR;
            detail = "the node failed to carry out this call; its log has the details under reference "
                    + logged(System.Logger.Level.ERROR, "Freshet API call failed", thrown);
        }
        if (detail == null || detail.isBlank()) {
            detail = status.getReasonPhrase();
        }
        Response.ResponseBuilder answer = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail));
        if (status == Response.Status.SERVICE_UNAVAILABLE) {
            answer.header("Retry-After", "10");
        }
        return answer.build();
    }

    /** Logs {@code thrown} with its stack under a short reference, which the client is given instead of the details. */
    private static String logged(System.Logger.Level level, String what, Throwable thrown) {
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        LOG.log(level, what + " (reference " + reference + ")", thrown);
        return reference;
    }

    /**
     * A failure of the data grid: Hazelcast's own exceptions, and the two it throws outside that family (a member that
     * stops, a member that left while a call ran on it).
     */
    static boolean gridFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof com.hazelcast.core.HazelcastException
                    || c instanceof com.hazelcast.core.HazelcastInstanceNotActiveException
                    || c instanceof com.hazelcast.core.MemberLeftException) {
                return true;
            }
        }
        return false;
    }

    private static boolean catalogFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            // a failed query, a connection that cannot be had, or a commit the database refused
            if (c instanceof jakarta.persistence.PersistenceException || c instanceof java.sql.SQLException
                    || c instanceof jakarta.transaction.SystemException || c instanceof jakarta.transaction.RollbackException
                    || c instanceof jakarta.transaction.HeuristicMixedException
                    || c instanceof jakarta.transaction.HeuristicRollbackException
                    || c instanceof jakarta.resource.ResourceException) {
                return true;
            }
        }
        return false;
    }
}

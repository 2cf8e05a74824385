package dev.freshet.control;

import jakarta.ejb.ApplicationException;

/** An origin a node publishes from by URL failed (no answer, an error, a body other than it said): HTTP 502. */
@ApplicationException(rollback = true)
public class OriginFailedException extends RuntimeException {
    public OriginFailedException(String message) {
        super(message);
    }

    public OriginFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

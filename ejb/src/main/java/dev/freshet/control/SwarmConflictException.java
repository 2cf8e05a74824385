package dev.freshet.control;

import jakarta.ejb.ApplicationException;

/** Thrown when the swarm is already on this node: HTTP 409. The message is for a person. */
@ApplicationException(rollback = true)
public class SwarmConflictException extends RuntimeException {
    public SwarmConflictException(String message) {
        super(message);
    }

    public SwarmConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}

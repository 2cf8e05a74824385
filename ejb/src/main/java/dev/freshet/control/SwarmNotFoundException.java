package dev.freshet.control;

import jakarta.ejb.ApplicationException;

/** Thrown when no swarm with that info-hash on this node (nor, where it applies, in the cluster): HTTP 404. The message is for a person. */
@ApplicationException(rollback = true)
public class SwarmNotFoundException extends RuntimeException {
    public SwarmNotFoundException(String message) {
        super(message);
    }

    public SwarmNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}

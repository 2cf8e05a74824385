package dev.freshet.control;

import jakarta.ejb.ApplicationException;

/** Thrown when the path may not be published from this node (outside freshet.publish.roots): HTTP 403. The message is for a person. */
@ApplicationException(rollback = true)
public class PublishRefusedException extends RuntimeException {
    public PublishRefusedException(String message) {
        super(message);
    }

    public PublishRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}

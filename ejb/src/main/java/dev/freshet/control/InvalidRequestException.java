package dev.freshet.control;

import jakarta.ejb.ApplicationException;

/** Thrown when the request itself is wrong (malformed torrent, bad policy, missing field): HTTP 400. The message is for a person. */
@ApplicationException(rollback = true)
public class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}

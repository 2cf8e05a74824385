package dev.freshet.engine.tracker;

/** An announce failed: unreachable tracker, HTTP error, malformed answer, or the tracker's own {@code failure reason}. */
public final class TrackerException extends Exception {
    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}

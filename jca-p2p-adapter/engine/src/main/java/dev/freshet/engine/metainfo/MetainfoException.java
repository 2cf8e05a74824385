package dev.freshet.engine.metainfo;

/** A torrent or magnet link that cannot be used; the message says what is wrong with it. */
public final class MetainfoException extends RuntimeException {
    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}

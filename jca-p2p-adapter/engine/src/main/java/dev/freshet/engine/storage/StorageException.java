package dev.freshet.engine.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A read or write of torrent data failed; says which file and where. */
public final class StorageException extends UncheckedIOException {
    public StorageException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}

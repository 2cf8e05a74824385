package dev.freshet.engine.bencode;

/** Malformed bencode; {@link #offset()} is the byte position at which the input stopped making sense. */
public final class BencodeException extends RuntimeException {
    private final long offset;

    public BencodeException(String message, long offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}

package dev.freshet.engine.wire;

/** A peer broke the protocol; the connection is closed and the message is logged as the reason. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}

package dev.freshet.control;

/** An upload larger than this node takes ({@code freshet.upload.max-bytes}); nothing of it is kept. */
public class UploadTooLargeException extends RuntimeException {
    public UploadTooLargeException(String message) {
        super(message);
    }
}

package dev.freshet.control;

/** The node's global rate limits in bytes per second; 0 means unlimited. */
public record RateLimits(long downloadLimit, long uploadLimit) {
    public RateLimits {
        if (downloadLimit < 0 || uploadLimit < 0) {
            throw new InvalidRequestException("rate limits are bytes per second, 0 (unlimited) or more; got download "
                    + downloadLimit + ", upload " + uploadLimit);
        }
    }
}

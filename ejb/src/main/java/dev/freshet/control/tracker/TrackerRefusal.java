package dev.freshet.control.tracker;

/** An announce or scrape the tracker refuses; the message goes back as the BEP 3 {@code failure reason}. */
public class TrackerRefusal extends RuntimeException {
    public TrackerRefusal(String message) {
        super(message);
    }
}

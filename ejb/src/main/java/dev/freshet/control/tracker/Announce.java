package dev.freshet.control.tracker;

import java.util.Objects;

/**
 * One announce, as parsed from the request. {@code event} is empty, started, completed or stopped;
 * {@code auth} is the private-swarm key from the announce URL, or null.
 */
public record Announce(String infoHash, String ip, int port, long left, String event, int numWant, String auth) {
    public static final int MAX_NUMWANT = 200;

    public Announce {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(ip, "ip");
        if (port < 1 || port > 65535) {
            throw new TrackerRefusal("port must be from 1 to 65535");
        }
        if (left < 0) {
            throw new TrackerRefusal("left must not be negative");
        }
        numWant = Math.max(0, Math.min(numWant, MAX_NUMWANT));
        event = event == null ? "" : event;
        if (!event.isEmpty() && !event.equals("started") && !event.equals("completed") && !event.equals("stopped")
                && !event.equals("paused")) {
            throw new TrackerRefusal("unknown event '" + event + "'");
        }
    }
}

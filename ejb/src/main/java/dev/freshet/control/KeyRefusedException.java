package dev.freshet.control;

/** A caller without the right to a private swarm's key asked for what carries it (its .torrent or magnet link). */
public class KeyRefusedException extends RuntimeException {
    public KeyRefusedException(String message) {
        super(message);
    }
}

package dev.freshet.control;

/**
 * Fault injection for crash tests: a node started with {@code -Dfreshet.test.halt-at=<point>} ends at once when it
 * reaches that point, as a {@code kill -9} there would (no shutdown hooks, nothing flushed, the grid not told), so
 * that a test can show what the next start makes of it (the process exits with {@link #EXIT_STATUS}). Unset, as
 * always outside tests, a point costs one property read. The points: {@code drop:after-mark}
 * ({@link DroppedCopies#drop}: the catalog row says why the copy goes, nothing else has happened yet).
 */
public final class CrashPoints {
    private static final System.Logger LOG = System.getLogger(CrashPoints.class.getName());
    public static final String PROPERTY = "freshet.test.halt-at";
    /** The halted process's exit status: a test tells it from any other end. */
    public static final int EXIT_STATUS = 97;

    private CrashPoints() {
    }

    /** Halts the process here if this node was told to ({@link #PROPERTY}). */
    public static void reached(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            LOG.log(System.Logger.Level.ERROR, "Freshet halts at crash point " + point + " (" + PROPERTY + ", tests only)");
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}

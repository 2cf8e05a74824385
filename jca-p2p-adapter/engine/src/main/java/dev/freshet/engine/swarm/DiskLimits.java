package dev.freshet.engine.swarm;

/**
 * How much of its disks a node lets its downloads take (issue 14). A downloading swarm stops fetching (it stalls,
 * {@link SwarmState#STALLED}, with the reason in its status) when the file system it writes to is {@code highPercent}
 * full or more, and goes on by itself once it is below {@code lowPercent}; and when the swarms of the engine hold
 * {@code quotaBytes} of verified data or more (0: no quota), until they hold less. Seeding swarms are not touched:
 * they write nothing. 100 % for both watermarks: only a full disk stops a swarm.
 */
public record DiskLimits(int highPercent, int lowPercent, long quotaBytes) {
    /** No watermarks, no quota. */
    public static final DiskLimits NONE = new DiskLimits(100, 100, 0);

    public DiskLimits {
        if (highPercent < 1 || highPercent > 100 || lowPercent < 1 || lowPercent > highPercent) {
            throw new IllegalArgumentException("watermarks are percentages with 1 <= low <= high <= 100, got high "
                    + highPercent + " and low " + lowPercent);
        }
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("a quota cannot be negative");
        }
    }

    /** Whether anything but a full disk may stop a swarm. */
    public boolean any() {
        return highPercent < 100 || quotaBytes > 0;
    }

    /**
     * Why a swarm that writes to a file system with {@code usedBytes} in use and {@code usableBytes} free for it, in an
     * engine whose swarms hold {@code heldBytes}, may not fetch now; null when it may. How full a disk is, is reckoned
     * as {@code df} does: used ÷ (used + usable), so that space reserved for root or out of the node's reach counts
     * neither way. {@code resuming}: the swarm stopped for a reason before, and goes on only below the low watermark
     * (hysteresis: it does not start and stop with every piece around the high one).
     */
    public String lacking(long usedBytes, long usableBytes, long heldBytes, boolean resuming) {
        if (highPercent < 100 && usedBytes > 0) {
            double used = 100.0 * usedBytes / ((double) usedBytes + usableBytes);
            if (used >= (resuming ? lowPercent : highPercent)) {
                return String.format(java.util.Locale.ROOT, "disk %.0f %% full (high watermark %d %%): fetching "
                        + "stops; goes on by itself below %d %%", Math.floor(used), highPercent, lowPercent);
            }
        }
        if (quotaBytes > 0 && heldBytes >= quotaBytes) {
            return "quota reached: the node holds " + mib(heldBytes) + " of its " + mib(quotaBytes)
                    + ": fetching stops; goes on by itself once it holds less";
        }
        return null;
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }
}

package dev.freshet.control;

import dev.freshet.control.catalog.Catalog;
import dev.freshet.engine.swarm.DiskLimits;
import dev.freshet.engine.swarm.SwarmState;
import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.List;

/**
 * How much of its disk this node lets its downloads take (issue 14, item 4): watermarks of its data disk and a quota
 * on what its swarms hold. The node's configuration gives the defaults ({@link NodeSettings#defaultDiskLimits}); an
 * admin changes them while it runs, and the change is kept in the catalog. The engine applies them: a downloading
 * swarm stalls with the reason in its state, and goes on by itself.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Disks {
    @EJB
    Catalog catalog;
    @Inject
    NodeEngine engine;
    @Inject
    NodeSettings settings;
    @Inject
    EngineSnapshot snapshot;

    /** The data disk, what the swarms hold, the limits, and the swarms they stopped. */
    public record DiskStatus(String dataDirectory, long totalBytes, long usableBytes, double usedPercent,
                             long heldBytes, int highWatermark, int lowWatermark, long quota, List<String> stalled) {
    }

    public DiskLimits current() {
        DiskLimits d = settings.defaultDiskLimits();
        try {
            return new DiskLimits(catalog.setting("disk.high").map(Integer::parseInt).orElse(d.highPercent()),
                    catalog.setting("disk.low").map(Integer::parseInt).orElse(d.lowPercent()),
                    catalog.setting("disk.quota").map(Long::parseLong).orElse(d.quotaBytes()));
        } catch (IllegalArgumentException kept) {
            return d; // a kept pair that no longer holds with a new default: the configuration's
        }
    }

    /** Gives the engine the limits kept (at start). */
    public void apply() {
        DiskLimits limits = current();
        engine.run(c -> c.setDiskLimits(limits));
    }

    /**
     * Changes the limits; a null leaves that one as it is. Refused (nothing changed) when the watermarks do not hold
     * ({@code 1 <= low <= high <= 100}) or the quota is below what the node holds already (its swarms would stop and
     * never go on; remove swarms first).
     */
    public DiskStatus set(Integer high, Integer low, Long quota) {
        DiskLimits now = current();
        DiskLimits next;
        try {
            next = new DiskLimits(high != null ? high : now.highPercent(), low != null ? low : now.lowPercent(),
                    quota != null ? quota : now.quotaBytes());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage() + " (100 for both: only a full disk stops a download)", e);
        }
        long held = held(snapshot.statuses());
        if (next.quotaBytes() > 0 && next.quotaBytes() < held) {
            throw new InvalidRequestException("a quota of " + next.quotaBytes() + " bytes is below what this node holds "
                    + "already (" + held + " bytes): give at least that, or remove swarms first; 0 is no quota");
        }
        engine.run(c -> c.setDiskLimits(next));
        catalog.setting("disk.high", Integer.toString(next.highPercent()));
        catalog.setting("disk.low", Integer.toString(next.lowPercent()));
        catalog.setting("disk.quota", Long.toString(next.quotaBytes()));
        snapshot.invalidate();
        return status();
    }

    public DiskStatus status() {
        DiskLimits limits = current();
        List<SwarmStatus> statuses = engine.call(c -> c.statuses()); // as now (the shared snapshot may be a second old)
        long total = 0;
        long usable = 0;
        long inUse = 0;
        try {
            FileStore store = Files.getFileStore(settings.dataDir());
            total = store.getTotalSpace();
            usable = store.getUsableSpace();
            inUse = Math.max(0, total - store.getUnallocatedSpace());
        } catch (IOException e) {
            // unknown: shown as 0 of 0
        }
        // as df and the engine's watermarks reckon it: used ÷ (used + usable)
        double used = inUse > 0 ? Math.round(1000.0 * inUse / ((double) inUse + usable)) / 10.0 : 0;
        List<String> stalled = statuses.stream().filter(s -> s.state() == SwarmState.STALLED)
                .map(s -> s.infoHash().hex()).sorted().toList();
        return new DiskStatus(settings.dataDir().toString(), total, usable, used, held(statuses), limits.highPercent(),
                limits.lowPercent(), limits.quotaBytes(), stalled);
    }

    private static long held(List<SwarmStatus> statuses) {
        return statuses.stream().mapToLong(SwarmStatus::verifiedBytes).sum();
    }
}

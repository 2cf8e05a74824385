package dev.freshet.control;

import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.directory.SwarmDirectory;
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
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Makes room when the disk limits stop a download (issue 14, item 4): gives up copies {@link Retention} lets go,
 * least recently used first, until the limits would let the downloads go on (below the low watermark, under the
 * quota). Each copy is given up under the swarm's cluster-wide lock, after the holdings read then say another
 * member (of this office, where the policy wants the swarm) holds it complete; its catalog row says "evicted"
 * before its data goes, so a kill in between is finished at the next start.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RetentionJob {
    private static final System.Logger LOG = System.getLogger(RetentionJob.class.getName());
    /** Slack beyond what the limits need, so that the downloads do not stop again at once. */
    private static final long SLACK = 16L << 20;

    @EJB
    Catalog catalog;
    @Inject
    SwarmDirectory directory;
    @Inject
    NodeSettings settings;
    @Inject
    EngineSnapshot snapshot;
    @EJB
    Disks disks;
    @Inject
    DroppedCopies copies;

    /**
     * When a download is stalled by the disk: gives up copies until the limits would let it go on, or no copy may
     * go; answers the info-hashes given up.
     */
    public List<String> relieve(List<PublishedSwarm> published) {
        List<SwarmStatus> statuses = snapshot.statuses();
        if (statuses.stream().noneMatch(s -> s.state() == SwarmState.STALLED)) {
            return List.of();
        }
        long needed = bytesNeeded(statuses);
        if (needed <= 0) {
            return List.of(); // the stalled swarms go on by themselves at their next check
        }
        // complete copies only: a partial one is a download in progress, the very thing room is made for
        Map<String, Long> heldBytes = statuses.stream().filter(s -> s.state() == SwarmState.SEEDING)
                .collect(Collectors.toMap(s -> s.infoHash().hex(), SwarmStatus::verifiedBytes, (a, b) -> a));
        Map<String, Policy> policies = published.stream().collect(Collectors.toMap(PublishedSwarm::infoHash,
                p -> Policy.parse(p.policy()), (a, b) -> a));
        Map<String, SwarmRecord> records = catalog.active().stream()
                .collect(Collectors.toMap(SwarmRecord::infoHash, Function.identity(), (a, b) -> a));
        List<Retention.Copy> held = records.values().stream()
                .filter(r -> heldBytes.getOrDefault(r.infoHash(), 0L) > 0)
                .map(r -> new Retention.Copy(r.infoHash(), r.name(), r.policy(),
                        settings.isOwnSaveDir(r.infoHash(), Path.of(r.savePath())), r.lastUsed()))
                .toList();
        String self = directory.localMemberId();
        String office = settings.office();
        List<String> gone = new ArrayList<>();
        long freed = 0;
        for (Retention.Copy c : Retention.candidates(held, policies, office)) {
            if (freed >= needed) {
                break;
            }
            SwarmRecord r = records.get(c.infoHash());
            boolean evicted = directory.exclusively("evict/" + c.infoHash(), () -> {
                // the members as they are now, not as the round began: the lock may have waited for a member that
                // died holding it, whose holding still says complete until the grid forgets it
                if (!Retention.mayGo(self, office, policies.get(c.infoHash()), directory.holders(c.infoHash()),
                        directory.members())) {
                    return false;
                }
                evict(r);
                return true;
            }).orElse(false);
            if (evicted) {
                gone.add(c.infoHash());
                freed += heldBytes.getOrDefault(c.infoHash(), 0L);
            }
        }
        if (!gone.isEmpty()) {
            snapshot.invalidate();
        }
        return gone;
    }

    /** Bytes to free so that the limits let downloads go on: below the low watermark and under the quota. */
    private long bytesNeeded(List<SwarmStatus> statuses) {
        DiskLimits limits = disks.current();
        long needed = 0;
        try {
            FileStore store = Files.getFileStore(settings.dataDir());
            long used = Math.max(0, store.getTotalSpace() - store.getUnallocatedSpace());
            long all = used + store.getUsableSpace();
            if (limits.highPercent() < 100) {
                needed = Math.max(needed, used - all * limits.lowPercent() / 100 + SLACK);
            } else {
                needed = Math.max(needed, SLACK - store.getUsableSpace()); // a full disk: some room to run
            }
        } catch (IOException e) {
            // the data disk does not answer: the quota alone decides
        }
        if (limits.quotaBytes() > 0) {
            long held = statuses.stream().mapToLong(SwarmStatus::verifiedBytes).sum();
            needed = Math.max(needed, held - limits.quotaBytes() + SLACK);
        }
        return needed;
    }

    private void evict(SwarmRecord r) {
        copies.drop(r, rec -> rec.evict(Instant.now()), true); // only copies in its own directory are candidates
        LOG.log(System.Logger.Level.INFO, "Freshet gave up its copy of {0} ({1}) to make room on its disk: held by "
                + "policy {2}, last used {3}, complete elsewhere", r.name(), r.infoHash(), r.policy(), r.lastUsed());
    }

    /** The swarms whose copies peers took data from since the last call: their last use is now. */
    public void used(List<String> infoHashes) {
        Instant now = Instant.now();
        for (String hash : infoHashes) {
            catalog.update(hash, r -> r.used(now));
        }
    }

    /** When each swarm's last use was written by {@link #usedNow} (epoch millis). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Long> WRITTEN =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Someone used the swarm's copy here now (an HTTP download): written to the catalog at most once a minute. */
    public void usedNow(String infoHash) {
        long now = System.currentTimeMillis();
        Long last = WRITTEN.get(infoHash);
        if (last == null || now - last > 60_000) {
            if (WRITTEN.size() > 100_000) {
                WRITTEN.clear();
            }
            WRITTEN.put(infoHash, now);
            try {
                catalog.update(infoHash, r -> r.used(Instant.ofEpochMilli(now)));
            } catch (RuntimeException e) { // a catalog that cannot write (a full disk) does not fail the download
                LOG.log(System.Logger.Level.DEBUG, "Freshet could not note the use of " + infoHash, e);
            }
        }
    }

}

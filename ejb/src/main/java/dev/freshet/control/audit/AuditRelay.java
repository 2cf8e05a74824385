package dev.freshet.control.audit;

import com.hazelcast.core.HazelcastInstance;
import dev.freshet.control.grid.GridSeal;
import dev.freshet.control.grid.SealedMap;
import dev.freshet.control.NodeSettings;
import dev.freshet.control.catalog.AuditRecord;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's audit log in every node's catalog: each entry a node writes also goes into the grid (map
 * {@value #MAP}, kept {@value #KEEP_HOURS} hours), and every node copies what arrives there into its own catalog,
 * once (the entry's id). So any node's console answers who did what anywhere, and a node that dies takes no part of
 * the log with it. A node that was away less than a day catches up at start; longer, and it lacks what was logged
 * meanwhile (the nodes that served it still hold it).
 *
 * <p>Arrivals are queued by the grid's thread and written by the node's reconciliation round (a container thread):
 * at most {@value #MAX_QUEUED} wait; more are dropped, logged, and still in the grid for the next start.
 */
@ApplicationScoped
public class AuditRelay {
    private static final System.Logger LOG = System.getLogger(AuditRelay.class.getName());
    public static final String MAP = "freshet-audit";
    static final int KEEP_HOURS = 24;
    static final int MAX_QUEUED = 10_000;

    @Inject
    HazelcastInstance hazelcast;
    @Inject
    NodeSettings settings;
    @EJB
    AuditLog log;
    @Inject
    GridSeal seal;

    private SealedMap shared;
    private UUID listener;
    private volatile String nodeName;
    private final Queue<String[]> arrived = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    @PostConstruct
    void open() {
        shared = new SealedMap(dev.freshet.control.grid.GridObjects.map(hazelcast, MAP), seal);
        listener = shared.onAdded((id, value) -> arrive(id, value));
    }

    @PreDestroy
    void close() {
        try {
            shared.removeListener(listener);
        } catch (RuntimeException alreadyDown) {
            // the grid stops with the server
        }
    }

    /** This node's name, as entries it serves carry it. */
    public String nodeName() {
        String n = nodeName;
        if (n == null) {
            n = settings.nodeName(hazelcast);
            nodeName = n;
        }
        return n;
    }

    /** Puts an entry this node wrote into the grid; never fails the call it records. */
    public void share(AuditRecord r) {
        try {
            shared.setAsync(r.id(), json(r), KEEP_HOURS, TimeUnit.HOURS);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet could not share audit entry " + r.id() + " with the cluster", e);
        }
    }

    /** At start: every entry the grid still holds. */
    public void backfill() {
        shared.entries().forEach(this::arrive);
        absorb();
    }

    /** Writes what arrived into this node's catalog (a container thread); answers how many were new. */
    public int absorb() {
        List<AuditRecord> batch = new ArrayList<>();
        for (String[] v; (v = arrived.poll()) != null; ) {
            queued.decrementAndGet();
            try {
                AuditRecord r = parse(v[1]);
                if (!r.id().equals(v[0])) {
                    throw new IllegalArgumentException("filed under " + v[0] + " but is entry " + r.id());
                }
                batch.add(r);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Freshet ignores an audit entry in the grid that it cannot read: "
                        + e.getMessage());
            }
        }
        int lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.log(System.Logger.Level.WARNING, "Freshet dropped {0} audit entries of other nodes (more than {1} "
                    + "arrived at once); they are copied at its next start", lost, MAX_QUEUED);
        }
        return batch.isEmpty() ? 0 : log.absorb(batch);
    }

    private void arrive(String id, String value) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        arrived.add(new String[] {id, value});
    }

    static String json(AuditRecord r) {
        return Json.createObjectBuilder().add("id", r.id()).add("at", r.at()).add("node", String.valueOf(r.node()))
                .add("who", r.who()).add("role", r.role()).add("action", r.action()).add("target", r.target())
                .add("address", r.address()).add("result", r.result()).build().toString();
    }

    static AuditRecord parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonObject o = reader.readObject();
            return AuditRecord.copy(o.getString("id"), o.getJsonNumber("at").longValueExact(), o.getString("node"),
                    o.getString("who"), o.getString("role"), o.getString("action"), o.getString("target"),
                    o.getString("address"), o.getInt("result"));
        }
    }
}

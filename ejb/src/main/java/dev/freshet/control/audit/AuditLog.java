package dev.freshet.control.audit;

import dev.freshet.control.InvalidRequestException;
import dev.freshet.control.catalog.AuditRecord;
import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;

/**
 * The node's audit log, kept in its catalog: written for every changing call and refused sign-in (the web edge
 * decides what those are), read newest first with filters, pruned every six hours of entries older than
 * {@code freshet.audit.days} (default 90). Each node stamps what it served with its name and shares it
 * ({@link AuditRelay}): every node's log holds the whole cluster's.
 */
@Stateless
public class AuditLog {
    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
    public static final int MAX_LIMIT = 10_000;

    @PersistenceContext(unitName = "freshet")
    EntityManager em;
    @jakarta.inject.Inject
    AuditRelay relay;

    /**
     * Written in a transaction of its own (the call it records may have failed and rolled back its own), stamped
     * with this node's name, then shared with the cluster.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void record(AuditRecord entry) {
        entry.servedBy(relay.nodeName());
        em.persist(entry);
        em.flush();
        relay.share(entry);
    }

    /** Entries other nodes wrote, each kept once (by its id); answers how many were new here. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int absorb(List<AuditRecord> entries) {
        int added = 0;
        for (AuditRecord e : entries) {
            if (em.find(AuditRecord.class, e.id()) == null) {
                em.persist(e);
                added++;
            }
        }
        return added;
    }

    /**
     * Entries newest first: of {@code who} and whose action contains {@code action} (each null: any), at or after
     * {@code since} and before {@code until} (epoch millis; 0: open), at most {@code limit}.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditRecord> find(String who, String action, long since, long until, int limit) {
        return find(who, action, null, since, until, limit);
    }

    /** As above, only what {@code node} served (null: any node). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditRecord> find(String who, String action, String node, long since, long until, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("'limit' must be 1 to " + MAX_LIMIT);
        }
        if (since < 0 || until < 0 || until > 0 && until <= since) {
            throw new InvalidRequestException("'since' and 'until' are epoch milliseconds, 'until' after 'since'");
        }
        StringBuilder q = new StringBuilder("SELECT a FROM AuditRecord a WHERE a.at >= :since");
        if (until > 0) {
            q.append(" AND a.at < :until");
        }
        if (who != null && !who.isBlank()) {
            q.append(" AND a.who = :who");
        }
        if (action != null && !action.isBlank()) {
            q.append(" AND LOCATE(:action, a.action) > 0");
        }
        if (node != null && !node.isBlank()) {
            q.append(" AND a.node = :node");
        }
        q.append(" ORDER BY a.at DESC, a.id DESC");
        TypedQuery<AuditRecord> query = em.createQuery(q.toString(), AuditRecord.class).setParameter("since", since)
                .setMaxResults(limit);
        if (until > 0) {
            query.setParameter("until", until);
        }
        if (who != null && !who.isBlank()) {
            query.setParameter("who", who);
        }
        if (action != null && !action.isBlank()) {
            query.setParameter("action", action);
        }
        if (node != null && !node.isBlank()) {
            query.setParameter("node", node);
        }
        return query.getResultList();
    }

    /** Removes the entries older than {@code before} (epoch millis); answers how many. */
    public int prune(long before) {
        return em.createQuery("DELETE FROM AuditRecord a WHERE a.at < :before").setParameter("before", before)
                .executeUpdate();
    }

    @Schedule(hour = "*/6", minute = "7", persistent = false)
    void pruneOld() {
        int days = ConfigProvider.getConfig().getOptionalValue("freshet.audit.days", Integer.class).filter(d -> d > 0)
                .orElse(90);
        int removed = prune(System.currentTimeMillis() - days * 24L * 3600 * 1000);
        if (removed > 0) {
            LOG.log(System.Logger.Level.INFO, "Freshet pruned {0} audit entries older than {1} days", removed, days);
        }
    }
}

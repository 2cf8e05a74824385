package dev.freshet.control.catalog;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** This node's records. Each method is one transaction (container-managed). */
@Stateless
public class Catalog {
    @PersistenceContext(unitName = "freshet")
    private EntityManager em;

    public Optional<SwarmRecord> find(String infoHash) {
        return Optional.ofNullable(em.find(SwarmRecord.class, infoHash));
    }

    /** Swarms held now (not removed), oldest first. */
    public List<SwarmRecord> active() {
        return em.createNamedQuery("SwarmRecord.active", SwarmRecord.class).getResultList();
    }

    /** What a page of the list is chosen by, of a swarm held: its info-hash, name and error (null: none). */
    public record Listed(String infoHash, String name, String error) {
    }

    /**
     * {@link Listed} of every swarm held now, in no order: a page of the list chooses by these and loads only its own
     * records (loading every record for one page cost most of a 10,000-swarm node's answer).
     */
    public List<Listed> listed() {
        return em.createNamedQuery("SwarmRecord.listed", Object[].class).getResultList().stream()
                .map(row -> new Listed((String) row[0], (String) row[1], (String) row[2])).toList();
    }

    /** The records of these info-hashes that exist, in no order. */
    public List<SwarmRecord> records(java.util.Collection<String> infoHashes) {
        if (infoHashes.isEmpty()) {
            return List.of();
        }
        return em.createNamedQuery("SwarmRecord.these", SwarmRecord.class).setParameter("hashes", infoHashes)
                .getResultList();
    }

    /** Every record, removed ones too: the set of swarms this node has decided about. */
    public List<String> knownInfoHashes() {
        // the hashes alone: loading whole records each reconciliation round cost most of an idle node's CPU
        return em.createNamedQuery("SwarmRecord.hashes", String.class).getResultList();
    }

    /**
     * Swarms removed here because an admin took them out of the cluster (they may come back when published anew), by
     * info-hash: when.
     */
    public java.util.Map<String, java.time.Instant> unpublishedSwarms() {
        java.util.Map<String, java.time.Instant> out = new java.util.HashMap<>();
        for (Object[] row : em.createNamedQuery("SwarmRecord.unpublished", Object[].class).getResultList()) {
            out.put((String) row[0], (java.time.Instant) row[1]);
        }
        return out;
    }

    /** An unpublication this node recorded when it removed its copy: the swarm, who took it out, when. */
    public record Unpublication(String infoHash, String name, String by, java.time.Instant at) {
    }

    /** The unpublications recorded here that still stand (the swarm was not published anew since, as far as known). */
    public List<Unpublication> unpublications() {
        return em.createNamedQuery("SwarmRecord.unpublications", Object[].class).getResultList().stream()
                .map(row -> new Unpublication((String) row[0], (String) row[1], (String) row[2],
                        (java.time.Instant) row[3])).toList();
    }

    /** Swarms removed here by an unpublication or by retention: their data is Freshet's to delete. */
    public List<String> droppedInfoHashes() {
        return em.createNamedQuery("SwarmRecord.dropped", String.class).getResultList();
    }

    /** Every record, removed ones too, oldest first. */
    public List<SwarmRecord> all() {
        return em.createNamedQuery("SwarmRecord.all", SwarmRecord.class).getResultList();
    }

    /** Stores a new record. */
    public void create(SwarmRecord record) {
        em.persist(record);
    }

    /**
     * Applies a change to the record if it exists; returns whether it did. The row is locked for the
     * transaction: the API and the engine's events change the same swarm at the same time.
     */
    public boolean update(String infoHash, Consumer<SwarmRecord> change) {
        SwarmRecord r = em.find(SwarmRecord.class, infoHash, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            return false;
        }
        change.accept(r);
        return true;
    }

    public void createPublication(PublicationRecord record) {
        em.persist(record);
    }

    public Optional<PublicationRecord> publication(String id) {
        return Optional.ofNullable(em.find(PublicationRecord.class, id));
    }

    /** Applies a change to a publication's record (locked), if it exists; returns whether it did. */
    public boolean updatePublication(String id, Consumer<PublicationRecord> change) {
        PublicationRecord r = em.find(PublicationRecord.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            return false;
        }
        change.accept(r);
        return true;
    }

    /** Publications still hashing (a restart left them so). */
    public List<PublicationRecord> publicationsHashing() {
        return em.createNamedQuery("PublicationRecord.hashing", PublicationRecord.class).getResultList();
    }

    /** The latest {@code limit} publications, newest first. */
    public List<PublicationRecord> recentPublications(int limit) {
        return em.createNamedQuery("PublicationRecord.recent", PublicationRecord.class).setMaxResults(limit)
                .getResultList();
    }

    public void recordProgress(String infoHash, BitSet newly, int verified, long downloaded, long uploaded) {
        update(infoHash, r -> r.recordProgress(newly, verified, downloaded, uploaded));
    }

    /** Reads one row's worth from the catalog; throws when it cannot be read (health checks). */
    public long swarmCount() {
        return em.createQuery("SELECT COUNT(r) FROM SwarmRecord r", Long.class).getSingleResult();
    }

    public Optional<String> setting(String name) {
        return Optional.ofNullable(em.find(SettingRecord.class, name)).map(SettingRecord::value);
    }

    /** The settings whose names start with {@code prefix}, name to value, in one read. */
    public java.util.Map<String, String> settings(String prefix) {
        // LIKE's wildcards in a prefix match more than it: the exact test is made here
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (SettingRecord r : em.createQuery("SELECT s FROM SettingRecord s WHERE s.name LIKE :p", SettingRecord.class)
                .setParameter("p", prefix + "%").getResultList()) {
            if (r.name().startsWith(prefix)) {
                out.put(r.name(), r.value());
            }
        }
        return out;
    }

    public void setting(String name, String value) {
        SettingRecord s = em.find(SettingRecord.class, name);
        if (s == null) {
            em.persist(new SettingRecord(name, value));
        } else {
            s.value(value);
        }
    }
}

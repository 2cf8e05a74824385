package dev.freshet.control.catalog;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
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

    /** Every record, removed ones too: the set of swarms this node has decided about. */
    public List<String> knownInfoHashes() {
        return em.createNamedQuery("SwarmRecord.all", SwarmRecord.class).getResultList().stream()
                .map(SwarmRecord::infoHash).toList();
    }

    public SwarmRecord save(SwarmRecord record) {
        return em.merge(record);
    }

    /** Applies a change to the record if it exists; returns whether it did. */
    public boolean update(String infoHash, Consumer<SwarmRecord> change) {
        SwarmRecord r = em.find(SwarmRecord.class, infoHash);
        if (r == null) {
            return false;
        }
        change.accept(r);
        return true;
    }

    public void recordProgress(String infoHash, BitSet newly, int verified, long downloaded, long uploaded) {
        update(infoHash, r -> r.recordProgress(newly, verified, downloaded, uploaded));
    }

    public Optional<String> setting(String name) {
        return Optional.ofNullable(em.find(SettingRecord.class, name)).map(SettingRecord::value);
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

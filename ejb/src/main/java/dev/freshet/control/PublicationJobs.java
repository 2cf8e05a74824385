package dev.freshet.control;

import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.PublicationRecord;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedExecutorService;

import java.util.List;
import java.util.Optional;

/**
 * Runs the publications that hash in the background (issue 14) on the container's managed threads, one at a time
 * per publication, and after a restart those a stopped or killed node left hashing, from their checkpoints.
 */
@ApplicationScoped
public class PublicationJobs {
    private static final System.Logger LOG = System.getLogger(PublicationJobs.class.getName());

    @Resource
    ManagedExecutorService executor;
    @EJB
    Publishing publishing;
    @EJB
    Catalog catalog;

    public void submit(String id) {
        executor.execute(() -> {
            try {
                publishing.runJob(id);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Freshet publication " + id + " could not run", e);
            }
        });
    }

    /** At start: every publication still hashing goes on. */
    public int resumeAll() {
        List<PublicationRecord> left = catalog.publicationsHashing();
        for (PublicationRecord p : left) {
            LOG.log(System.Logger.Level.INFO, "Freshet goes on with publication {0} of {1} ({2} of {3} pieces kept)",
                    p.id(), p.source(), p.piecesHashed(), p.pieceCount());
            submit(p.id());
        }
        return left.size();
    }

    public Optional<PublicationRecord> find(String id) {
        return catalog.publication(id);
    }

    public List<PublicationRecord> recent(int limit) {
        return catalog.recentPublications(limit);
    }
}

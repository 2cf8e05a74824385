package dev.freshet.control;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The artifacts this node is hashing for publication right now, with how far each is: hashing a large
 * artifact takes a while (about a minute for 100 GB), and the console shows it.
 */
@ApplicationScoped
public class Publications {
    /** One artifact being hashed. {@code piecesHashed} of {@code pieceCount}; both 0 until the layout is known. */
    public record Progress(String id, String name, long startedAt, int piecesHashed, int pieceCount) {
        public double fraction() {
            return pieceCount == 0 ? 0 : (double) piecesHashed / pieceCount;
        }
    }

    /** A handle on one running publication. */
    public final class Publication {
        private final String id = UUID.randomUUID().toString();
        private final String name;
        private final long startedAt = System.currentTimeMillis();
        private volatile int hashed;
        private volatile int count;

        private Publication(String name) {
            this.name = name;
        }

        /** From hashing threads: counts only grow, so a late smaller report is ignored. */
        public void hashed(int piecesHashed, int pieceCount) {
            synchronized (this) {
                count = pieceCount;
                hashed = Math.max(hashed, piecesHashed);
            }
        }

        Progress progress() {
            return new Progress(id, name, startedAt, hashed, count);
        }
    }

    private final Map<String, Publication> running = new ConcurrentHashMap<>();

    public Publication begin(String name) {
        Publication p = new Publication(name);
        running.put(p.id, p);
        return p;
    }

    public void end(Publication p) {
        running.remove(p.id);
    }

    public List<Progress> running() {
        return running.values().stream().map(Publication::progress)
                .sorted(Comparator.comparingLong(Progress::startedAt)).toList();
    }
}

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
    /**
     * One artifact being hashed. {@code piecesHashed} of {@code pieceCount}; both 0 until the layout is known.
     * {@code bytesPerSecond}: how fast this run hashes (pieces a checkpoint held not counted); {@code etaSeconds} at
     * that speed, -1 while unknown.
     */
    public record Progress(String id, String name, long startedAt, int piecesHashed, int pieceCount,
                           long bytesPerSecond, long etaSeconds) {
        public double fraction() {
            return pieceCount == 0 ? 0 : (double) piecesHashed / pieceCount;
        }
    }

    /** A handle on one running publication. */
    public final class Publication {
        private final String id;
        private final String name;
        private final long pieceLength;
        private final long startedAt = System.currentTimeMillis();
        private final long startedNanos = System.nanoTime();
        private volatile int hashed;
        private volatile int count;
        private int atStart = -1;

        private Publication(String id, String name, long pieceLength) {
            this.id = id;
            this.name = name;
            this.pieceLength = pieceLength;
        }

        public String id() {
            return id;
        }

        /** From hashing threads: counts only grow, so a late smaller report is ignored. */
        public void hashed(int piecesHashed, int pieceCount) {
            synchronized (this) {
                if (atStart < 0) {
                    atStart = piecesHashed; // what a checkpoint held: not this run's speed
                }
                count = pieceCount;
                hashed = Math.max(hashed, piecesHashed);
            }
        }

        synchronized Progress progress() {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            long rate = atStart < 0 || seconds < 0.5 || pieceLength == 0 ? 0
                    : (long) ((hashed - atStart) * (double) pieceLength / seconds);
            long eta = rate == 0 ? -1 : (long) Math.ceil((count - hashed) * (double) pieceLength / rate);
            return new Progress(id, name, startedAt, hashed, count, rate, eta);
        }
    }

    private final Map<String, Publication> running = new ConcurrentHashMap<>();

    public Publication begin(String name) {
        return begin(UUID.randomUUID().toString(), name, 0);
    }

    /** A publication known by {@code id} (a background one's), hashing pieces of {@code pieceLength} bytes. */
    public Publication begin(String id, String name, long pieceLength) {
        Publication p = new Publication(id, name, pieceLength);
        running.put(p.id, p);
        return p;
    }

    public void end(Publication p) {
        running.remove(p.id);
    }

    /** How far the publication {@code id} is, while it hashes on this node. */
    public java.util.Optional<Progress> progress(String id) {
        return java.util.Optional.ofNullable(running.get(id)).map(Publication::progress);
    }

    public List<Progress> running() {
        return running.values().stream().map(Publication::progress)
                .sorted(Comparator.comparingLong(Progress::startedAt)).toList();
    }
}

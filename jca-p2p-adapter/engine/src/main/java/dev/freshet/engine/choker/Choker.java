package dev.freshet.engine.choker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Decides which interested peers are unchoked: the {@code regularSlots} best by rate (the rate they
 * give us while we download; the rate we reach sending to them while we seed, which favours peers
 * that can take data fast), plus one optimistic unchoke chosen at random among the rest and kept
 * until the caller asks to rotate it (every third round, 30 s, in BEP 3 practice).
 *
 * @param <K> the peer key
 */
public final class Choker<K> {
    private final int regularSlots;
    private final RandomGenerator random;
    private K optimistic;

    /** What the choker knows of one connected peer. Rates in bytes per second. */
    public record Candidate<K>(K peer, boolean interested, long downloadRate, long uploadRate) {
    }

    public Choker(int regularSlots, RandomGenerator random) {
        if (regularSlots < 0) {
            throw new IllegalArgumentException("slots must not be negative");
        }
        this.regularSlots = regularSlots;
        this.random = random;
    }

    public Optional<K> optimistic() {
        return Optional.ofNullable(optimistic);
    }

    /** The peers to unchoke; every other peer is choked. */
    public Set<K> choose(List<Candidate<K>> candidates, boolean seeding, boolean rotateOptimistic) {
        List<Candidate<K>> interested = new ArrayList<>();
        for (Candidate<K> c : candidates) {
            if (c.interested()) {
                interested.add(c);
            }
        }
        Comparator<Candidate<K>> byRate = seeding
                ? Comparator.comparingLong((Candidate<K> c) -> c.uploadRate()).reversed()
                : Comparator.comparingLong((Candidate<K> c) -> c.downloadRate()).reversed();
        interested.sort(byRate);
        Set<K> unchoked = new LinkedHashSet<>();
        for (int i = 0; i < interested.size() && unchoked.size() < regularSlots; i++) {
            unchoked.add(interested.get(i).peer());
        }
        List<K> rest = new ArrayList<>();
        for (Candidate<K> c : interested) {
            if (!unchoked.contains(c.peer())) {
                rest.add(c.peer());
            }
        }
        boolean keep = optimistic != null && rest.contains(optimistic) && !rotateOptimistic;
        if (!keep) {
            optimistic = rest.isEmpty() ? null : rest.get(random.nextInt(rest.size()));
        }
        if (optimistic != null) {
            unchoked.add(optimistic);
        }
        return unchoked;
    }
}

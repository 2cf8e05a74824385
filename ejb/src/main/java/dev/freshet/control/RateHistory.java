package dev.freshet.control;

import dev.freshet.engine.swarm.SwarmStatus;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last ten minutes of download and upload rates, once a second, per swarm and for the whole node:
 * what the console's rate charts show (they start with the past, not empty, when a page opens).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RateHistory {
    public static final int SAMPLES = 600;
    public static final String NODE = "node";

    /** One sample: epoch second, bytes per second down and up. */
    public record Sample(long time, long down, long up) {
    }

    @Inject
    EngineSnapshot snapshot;

    private final Map<String, Deque<Sample>> series = new HashMap<>();

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void sample() {
        List<SwarmStatus> statuses;
        try {
            statuses = snapshot.statuses();
        } catch (RuntimeException e) {
            return; // the engine is not there yet (or any more): no sample this second
        }
        record(System.currentTimeMillis() / 1000, statuses);
    }

    synchronized void record(long now, List<SwarmStatus> statuses) {
        long down = 0;
        long up = 0;
        Set<String> live = new HashSet<>();
        for (SwarmStatus s : statuses) {
            String hash = s.infoHash().hex();
            live.add(hash);
            add(hash, new Sample(now, s.downloadRate(), s.uploadRate()));
            down += s.downloadRate();
            up += s.uploadRate();
        }
        live.add(NODE);
        add(NODE, new Sample(now, down, up));
        series.keySet().retainAll(live);
    }

    private void add(String key, Sample s) {
        Deque<Sample> d = series.computeIfAbsent(key, k -> new ArrayDeque<>());
        d.addLast(s);
        while (d.size() > SAMPLES) {
            d.removeFirst();
        }
    }

    /** The newest sample, if any. {@code key}: an info-hash or {@link #NODE}. */
    public synchronized java.util.Optional<Sample> latest(String key) {
        Deque<Sample> d = series.get(key);
        return d == null || d.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(d.getLast());
    }

    /** Oldest first; empty for a swarm this node does not run. {@code key}: an info-hash or {@link #NODE}. */
    public synchronized List<Sample> of(String key) {
        Deque<Sample> d = series.get(key);
        return d == null ? List.of() : new ArrayList<>(d);
    }
}

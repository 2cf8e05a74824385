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

    /**
     * Per key, the samples as runs of equal ones in consecutive seconds, oldest first, at most {@link #SAMPLES}
     * samples in all: an idle swarm's ten minutes are one run, not 600 samples (24 KB a swarm, 240 MB for 10,000).
     */
    private final Map<String, Runs> series = new HashMap<>();

    /** One key's runs, and how many samples they hold. */
    private static final class Runs {
        final Deque<Run> runs = new ArrayDeque<>();
        int samples;
    }

    /** {@code count} samples of {@code down}, {@code up} in the seconds from {@code start}. */
    private static final class Run {
        long start;
        final long down;
        final long up;
        int count;

        Run(long start, long down, long up) {
            this.start = start;
            this.down = down;
            this.up = up;
            this.count = 1;
        }

        Sample last() {
            return new Sample(start + count - 1, down, up);
        }
    }

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
            add(hash, now, s.downloadRate(), s.uploadRate());
            down += s.downloadRate();
            up += s.uploadRate();
        }
        live.add(NODE);
        add(NODE, now, down, up);
        series.keySet().retainAll(live);
    }

    /** Adds a sample of {@code key} at second {@code now} and drops the oldest beyond {@link #SAMPLES}. */
    synchronized void add(String key, long now, long down, long up) {
        Runs series = this.series.computeIfAbsent(key, k -> new Runs());
        Run last = series.runs.peekLast();
        if (last != null && last.down == down && last.up == up && last.start + last.count == now) {
            last.count++;
        } else {
            series.runs.addLast(new Run(now, down, up));
        }
        series.samples++;
        if (series.samples > SAMPLES) {
            Run first = series.runs.peekFirst();
            first.count--;
            first.start++;
            series.samples--;
            if (first.count == 0) {
                series.runs.removeFirst();
            }
        }
    }

    /** The newest sample, if any. {@code key}: an info-hash or {@link #NODE}. */
    public synchronized java.util.Optional<Sample> latest(String key) {
        Runs d = series.get(key);
        return d == null || d.runs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(d.runs.getLast().last());
    }

    /** Oldest first; empty for a swarm this node does not run. {@code key}: an info-hash or {@link #NODE}. */
    public synchronized List<Sample> of(String key) {
        Runs d = series.get(key);
        if (d == null) {
            return List.of();
        }
        List<Sample> out = new ArrayList<>(d.samples);
        for (Run r : d.runs) {
            for (int i = 0; i < r.count; i++) {
                out.add(new Sample(r.start + i, r.down, r.up));
            }
        }
        return out;
    }
}

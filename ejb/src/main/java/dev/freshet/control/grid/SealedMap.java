package dev.freshet.control.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * A grid map of strings whose values are {@link GridSeal sealed}: what is written is sealed under its key and the
 * map's name, what is read is opened, and a value that does not open reads as absent (and is reported by the seal).
 * Keys stay plain (info-hashes, member ids): the grid partitions by them.
 */
public final class SealedMap {
    private final IMap<String, String> raw;
    private final GridSeal seal;

    public SealedMap(IMap<String, String> raw, GridSeal seal) {
        this.raw = raw;
        this.seal = seal;
        seal.register(this);
    }

    public String name() {
        return raw.getName();
    }

    /** The value under {@code key}, if present and sealed by the cluster. */
    public Optional<String> get(String key) {
        return seal.open(raw.getName(), key, raw.get(key));
    }

    /** The values under {@code keys} that are present and sealed by the cluster, in one call per member. */
    public Map<String, String> getAll(Set<String> keys) {
        Map<String, String> out = new java.util.HashMap<>();
        raw.getAll(keys).forEach((k, v) -> seal.open(raw.getName(), k, v).ifPresent(opened -> out.put(k, opened)));
        return out;
    }

    /** The sealed text under {@code key} as the grid holds it (null: none), for compare-and-set. */
    public String rawGet(String key) {
        return raw.get(key);
    }

    /** What {@code sealed} (a text of this map under {@code key}) holds, if it opens. */
    public Optional<String> open(String key, String sealed) {
        return seal.open(raw.getName(), key, sealed);
    }

    public String sealed(String key, String value) {
        return seal.seal(raw.getName(), key, value);
    }

    public void set(String key, String value) {
        raw.set(key, sealed(key, value));
    }

    public void set(String key, String value, long ttl, TimeUnit unit) {
        raw.set(key, sealed(key, value), ttl, unit);
    }

    public java.util.concurrent.CompletionStage<Void> setAsync(String key, String value, long ttl, TimeUnit unit) {
        return raw.setAsync(key, sealed(key, value), ttl, unit);
    }

    public void delete(String key) {
        raw.delete(key);
    }

    /** Compare-and-set on the texts: {@code expectedSealed} null puts if absent. Answers whether it was done. */
    public boolean replace(String key, String expectedSealed, String value, long ttl, TimeUnit unit) {
        String next = sealed(key, value);
        if (expectedSealed == null) {
            return ttl > 0 ? raw.putIfAbsent(key, next, ttl, unit) == null : raw.putIfAbsent(key, next) == null;
        }
        boolean done = raw.replace(key, expectedSealed, next);
        if (done && ttl > 0) {
            raw.setTtl(key, ttl, unit);
        }
        return done;
    }

    /** Compare-and-remove on the text. */
    public boolean remove(String key, String expectedSealed) {
        return raw.remove(key, expectedSealed);
    }

    public Set<String> keySet() {
        return raw.keySet();
    }

    public int size() {
        return raw.size();
    }

    /** Every entry that opens, by key. */
    public Map<String, String> entries() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            seal.open(raw.getName(), e.getKey(), e.getValue()).ifPresent(v -> out.put(e.getKey(), v));
        }
        return out;
    }

    /** Every entry as the grid holds it (sealed), by key. */
    public Map<String, String> rawEntries() {
        return new LinkedHashMap<>(raw);
    }

    public List<String> values() {
        return new ArrayList<>(entries().values());
    }

    /**
     * Calls {@code added} with the key and opened value of each entry added (or merged back after a split) from now
     * on; entries that do not open are reported by the seal and not passed on.
     */
    public UUID onAdded(BiConsumer<String, String> added) {
        return raw.addEntryListener((com.hazelcast.map.listener.EntryAddedListener<String, String>) e -> pass(e, added),
                true);
    }

    private void pass(EntryEvent<String, String> e, BiConsumer<String, String> to) {
        seal.open(raw.getName(), e.getKey(), e.getValue()).ifPresent(v -> to.accept(e.getKey(), v));
    }

    public IMap<String, String> raw() {
        return raw;
    }

    public void removeListener(UUID id) {
        raw.removeEntryListener(id);
    }

    /**
     * Seals again under the key that seals now every entry sealed under another accepted key (a secret being rolled
     * out); answers how many. Concurrent writers win: a text that changed meanwhile is left to its writer.
     */
    public int reseal() {
        int n = 0;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!seal.sealedNow(e.getValue())) {
                Optional<String> v = seal.open(raw.getName(), e.getKey(), e.getValue());
                if (v.isPresent() && raw.replace(e.getKey(), e.getValue(), sealed(e.getKey(), v.get()))) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Keeps {@code value} under {@code key} unless the map holds a newer one (by {@code changedAt}); a text that does
     * not open counts as oldest, so any sealed value replaces it. Answers the value the map holds after. Concurrent
     * writers settle on the newest; a tie goes to the larger text, so every node settles on the same one.
     */
    public String offerNewest(String key, String value, ToLongFunction<String> changedAt) {
        long mine = changedAt.applyAsLong(value);
        while (true) {
            String currentSealed = raw.get(key);
            Optional<String> current = open(key, currentSealed);
            if (current.isPresent()) {
                long held = changedAt.applyAsLong(current.get());
                if (held > mine || held == mine && current.get().compareTo(value) >= 0) {
                    return current.get();
                }
            }
            if (replace(key, currentSealed, value, 0, TimeUnit.SECONDS)) {
                return value;
            }
        }
    }
}

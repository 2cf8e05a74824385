package dev.freshet.control;

import com.hazelcast.map.IMap;

import java.util.function.ToLongFunction;

/**
 * A value the whole cluster keeps in a grid map of strings and every node also keeps in its catalog (offices'
 * budgets, API tokens): between two copies the one changed last wins, whichever node offers it when. Concurrent
 * writers settle on the newest; a tie goes to the larger text, so every node settles on the same one.
 */
public final class NewestWins {
    private NewestWins() {
    }

    /**
     * Keeps {@code text} under {@code key} unless the map holds a newer value there (by {@code changedAt}, which is
     * {@link Long#MIN_VALUE} for a text that cannot be read: any readable one replaces it); answers the text the map
     * holds after.
     */
    public static String offer(IMap<String, String> map, String key, String text, ToLongFunction<String> changedAt) {
        long mine = changedAt.applyAsLong(text);
        while (true) {
            String current = map.get(key);
            if (current != null) {
                long held = changedAt.applyAsLong(current);
                if (held > mine || held == mine && current.compareTo(text) >= 0) {
                    return current;
                }
            }
            boolean done = current == null ? map.putIfAbsent(key, text) == null : map.replace(key, current, text);
            if (done) {
                return text;
            }
        }
    }
}

package dev.freshet.control.directory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The outside clients of one swarm, as one directory value: at most {@link #MAX_PER_SWARM}, each until its
 * announce expires. Kept as one entry per info-hash (issue 10, case 11: an entry per client, found by a
 * {@code LIKE} scan over all of them, made every announce slower with every stranger tracked). The text form is
 * one line per client, {@code ip port seed untilMillis}: plain strings keep application classes out of the grid.
 * Immutable.
 */
public final class OutsidePeers {
    /** Most clients kept per swarm; a newer announce replaces the one that expires first. */
    public static final int MAX_PER_SWARM = 200;

    record Entry(String ip, int port, boolean seed, long until) {
        OutsidePeer peer(String infoHash) {
            return new OutsidePeer(infoHash, ip, port, seed);
        }

        boolean sameAddress(OutsidePeer p) {
            return ip.equals(p.ip()) && port == p.port();
        }
    }

    private final List<Entry> entries;

    private OutsidePeers(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static OutsidePeers empty() {
        return new OutsidePeers(List.of());
    }

    /** Reads the text form; lines it cannot read are dropped (a value written by another version, say). */
    public static OutsidePeers parse(String text) {
        List<Entry> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                String[] f = line.split(" ");
                if (f.length != 4) {
                    continue;
                }
                try {
                    out.add(new Entry(f[0], Integer.parseInt(f[1]), f[2].equals("1"), Long.parseLong(f[3])));
                } catch (NumberFormatException skipped) {
                    // not ours
                }
            }
        }
        return new OutsidePeers(out);
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append(e.ip).append(' ').append(e.port).append(' ').append(e.seed ? '1' : '0').append(' ')
                    .append(e.until).append('\n');
        }
        return b.toString();
    }

    /** These clients, without those expired at {@code now}, with {@code peer} recorded (or refreshed) until {@code until}. */
    public OutsidePeers with(OutsidePeer peer, long until, long now) {
        List<Entry> kept = live(now);
        kept.removeIf(e -> e.sameAddress(peer));
        if (kept.size() >= MAX_PER_SWARM) {
            kept.sort(Comparator.comparingLong(Entry::until));
            kept = new ArrayList<>(kept.subList(kept.size() - (MAX_PER_SWARM - 1), kept.size()));
        }
        kept.add(new Entry(peer.ip(), peer.port(), peer.seed(), until));
        return new OutsidePeers(kept);
    }

    /** These clients without {@code peer} and without those expired at {@code now}. */
    public OutsidePeers without(OutsidePeer peer, long now) {
        List<Entry> kept = live(now);
        kept.removeIf(e -> e.sameAddress(peer));
        return new OutsidePeers(kept);
    }

    public List<OutsidePeer> peers(String infoHash, long now) {
        return live(now).stream().map(e -> e.peer(infoHash)).toList();
    }

    public boolean isEmpty(long now) {
        return live(now).isEmpty();
    }

    private List<Entry> live(long now) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.until > now) {
                out.add(e);
            }
        }
        return out;
    }
}

package dev.freshet.engine.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network in virtual time, for whole swarms on one thread: hosts in groups (offices), each with an uplink and a
 * downlink rate, links between groups with a rate and a latency, TCP-like connections with bounded send and receive
 * buffers. Time moves in slots (1 ms unless told otherwise); in each, every connection with bytes to send gets its share of
 * its sender's uplink, its receiver's downlink and the group link it crosses, in rounds over the connections in a
 * round-robin order that starts one connection further on each slot (or, {@link #fairShare}, least recently served
 * first), so that a run is the same for the same inputs. Counts the bytes that crossed between groups. Not
 * thread-safe: one thread drives it (see {@link SimSwarm}).
 */
public final class SimNetwork {
    public static final long SLOT_NANOS = 1_000_000L;
    private final long slotNanos;

    /** A network whose time moves in 1 ms slots. */
    public SimNetwork() {
        this(java.time.Duration.ofNanos(SLOT_NANOS));
    }

    /**
     * A network whose time moves in slots of {@code slot}: longer slots cost less CPU per simulated second (fewer
     * rounds, larger transfers) and round latencies up to a whole slot.
     */
    public SimNetwork(java.time.Duration slot) {
        this.slotNanos = slot.toNanos();
    }
    /** Each end's send buffer, and the most one connection has in flight and unread at the receiver. */
    static final int SEND_BUFFER = 256 * 1024;
    static final int RECEIVE_WINDOW = 256 * 1024;
    /** Largest share one connection takes in one pass of a slot (then the next connection's turn). */
    private static final int CHUNK = 16 * 1024;

    /** A group's own rate (a LAN: 0 means unlimited) and latency between its hosts. */
    record Group(String name, long latencyNanos) {
    }

    /** One direction of the link between two groups. */
    private static final class Link {
        final long bytesPerSecond;
        final long latencyNanos;
        long tokens;
        /** Cut ({@link #cut}): carries nothing; what waits to cross stays in the senders' buffers, as TCP keeps it. */
        boolean down;

        Link(long bytesPerSecond, long latencyNanos) {
            this.bytesPerSecond = bytesPerSecond;
            this.latencyNanos = latencyNanos;
        }
    }

    private long now;
    /** Every slot so far (for the ends' compaction); {@link #slots} counts those with bytes to send (the rotation). */
    private long slotsRun;
    private long slots;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Link> links = new HashMap<>();
    /** Star topology: each group's own link to a core, one direction each ("paris>" out, ">paris" in). */
    private final Map<String, Link> wans = new HashMap<>();
    private final Map<String, SimHost> hostsByIp = new LinkedHashMap<>();
    private final Map<InetSocketAddress, SimServerSocket> listening = new HashMap<>();
    /**
     * Connection ends in the order they were made: the round-robin order of every slot. Each end knows its index
     * ({@link SimSocket#order}); {@link #sendingEnds} marks those that have had bytes to send since the last slot
     * looked, so that a slot visits those, not every end of a swarm of thousands (ends gone are dropped every
     * {@link #COMPACT_EVERY} slots, the order kept).
     */
    private final List<SimSocket> ends = new ArrayList<>();
    private final java.util.BitSet sendingEnds = new java.util.BitSet();
    /** Whether slots serve connections least recently served first ({@link #fairShare}). */
    private boolean fairShare;
    /** With {@link #fairShare}: ends with bytes to send, least recently served first. */
    private final ArrayList<SimSocket> turn = new ArrayList<>();
    private static final int COMPACT_EVERY = 1024;
    /**
     * What is on its way, one queue per delay: deliveries of one delay are due in the order they were sent, so each
     * queue is in time order and a slot takes only what is due from the head of each.
     */
    private final Map<Long, ArrayDeque<Delivery>> inFlight = new LinkedHashMap<>();
    private final Map<String, long[]> crossed = new LinkedHashMap<>();
    private long totalBytes;

    private final ArrayDeque<SimSocket.Chunk> chunks = new ArrayDeque<>();

    SimSocket.Chunk chunk() {
        SimSocket.Chunk c = chunks.poll();
        if (c == null) {
            return new SimSocket.Chunk();
        }
        c.written = 0;
        c.taken = 0;
        c.consumed = 0;
        return c;
    }

    void release(SimSocket.Chunk c) {
        chunks.add(c);
    }

    private record Delivery(long at, SimSocket to, SimSocket.Slice[] data, int length, Runnable then) {
    }

    /** One direction of a connection: the links it crosses (none inside a group), its latency, its byte counter. */
    private final class Route {
        private final Link[] links;
        private final long latencyNanos;
        private final long[] counter;
        /** Its delay's queue, found at the first delivery (queues are made in the order deliveries first need them). */
        private ArrayDeque<Delivery> deliveries;

        Route(Link[] links, long latencyNanos, long[] counter) {
            this.links = links;
            this.latencyNanos = latencyNanos;
            this.counter = counter;
        }

        Link[] links() {
            return links;
        }

        long latencyNanos() {
            return latencyNanos;
        }

        long[] counter() {
            return counter;
        }

        ArrayDeque<Delivery> deliveries() {
            if (deliveries == null) {
                deliveries = queue(latencyNanos);
            }
            return deliveries;
        }
    }

    private Route route(SimHost a, SimHost b) {
        long[] counter = crossed.computeIfAbsent(a.group() + ">" + b.group(), k -> new long[1]);
        if (a.group().equals(b.group())) {
            return new Route(new Link[0], groups.get(a.group()).latencyNanos(), counter);
        }
        Link direct = links.get(a.group() + ">" + b.group());
        if (direct != null) {
            return new Route(new Link[] {direct}, direct.latencyNanos, counter);
        }
        Link out = wans.get(a.group() + ">");
        Link in = wans.get(">" + b.group());
        if (out == null || in == null) {
            throw new IllegalStateException("no link between " + a.group() + " and " + b.group());
        }
        return new Route(new Link[] {out, in}, out.latencyNanos + in.latencyNanos, counter);
    }

    public long now() {
        return now;
    }

    /** A group of hosts (an office) whose hosts reach each other after {@code latency}. */
    public SimNetwork group(String name, java.time.Duration latency) {
        groups.put(name, new Group(name, latency.toNanos()));
        return this;
    }

    /** The link between two groups, each way: {@code bytesPerSecond} shared by every connection over it. */
    public SimNetwork link(String a, String b, long bytesPerSecond, java.time.Duration latency) {
        links.put(a + ">" + b, new Link(bytesPerSecond, latency.toNanos()));
        links.put(b + ">" + a, new Link(bytesPerSecond, latency.toNanos()));
        return this;
    }

    /**
     * Group {@code name}'s own link to a core router, {@code bytesPerSecond} each way and {@code latency} to the core:
     * traffic between two groups that have no direct {@link #link} crosses both groups' links (an office's WAN).
     */
    public SimNetwork wan(String name, long bytesPerSecond, java.time.Duration latency) {
        wans.put(name + ">", new Link(bytesPerSecond, latency.toNanos()));
        wans.put(">" + name, new Link(bytesPerSecond, latency.toNanos()));
        return this;
    }

    /**
     * Shares each link as TCP does, among every connection that crosses it in turn: a slot goes over the connections
     * least recently served first, and those that moved bytes go to the back. Without it (the default, which the
     * suite's figures were measured with), a global order rotated by one each slot gives a connection a link whose
     * room in a slot is less than one chunk only when the rotation falls just before it: its share is proportional
     * to how many other links' connections stand ahead of it, and some flows out of a busy office get nothing for
     * seconds. Runs are deterministic either way.
     */
    public SimNetwork fairShare(boolean on) {
        this.fairShare = on;
        return this;
    }

    /**
     * Group {@code name}'s WAN link goes down ({@code down}) or comes back. While it is down nothing crosses it either
     * way: bytes wait in the senders' buffers (TCP retransmits them once the link is back), and a dial across it is
     * never answered (its SYN is lost), so a connection over it stalls: an office cut off. (A close still reaches
     * the other end after the latency: a simplification.)
     */
    public SimNetwork cut(String name, boolean down) {
        Link out = wans.get(name + ">");
        Link in = wans.get(">" + name);
        if (out == null || in == null) {
            throw new IllegalArgumentException("no WAN link of " + name);
        }
        out.down = down;
        in.down = down;
        return this;
    }

    /** A host at {@code ip} in {@code group}, its uplink and downlink in bytes per second. */
    public SimHost host(String ip, String group, long upBytesPerSecond, long downBytesPerSecond) {
        if (!groups.containsKey(group)) {
            throw new IllegalArgumentException("no group " + group);
        }
        SimHost h = new SimHost(this, ip, group, upBytesPerSecond, downBytesPerSecond);
        hostsByIp.put(ip, h);
        return h;
    }

    public List<SimHost> hosts() {
        return List.copyOf(hostsByIp.values());
    }

    /** Payload and protocol bytes delivered from hosts of group {@code from} to hosts of group {@code to}. */
    public long bytes(String from, String to) {
        long[] c = crossed.get(from + ">" + to);
        return c == null ? 0 : c[0];
    }

    /** Every byte delivered, inside groups and between them. */
    public long totalBytes() {
        return totalBytes;
    }

    /** What crossed between each pair of groups, "from>to" to bytes. */
    public Map<String, Long> bytesByGroups() {
        Map<String, Long> out = new LinkedHashMap<>();
        crossed.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    // ---- sockets ------------------------------------------------------------------------------

    void listen(SimServerSocket server, InetSocketAddress at) throws IOException {
        if (listening.putIfAbsent(at, server) != null) {
            throw new java.net.BindException("address in use: " + at);
        }
    }

    void unlisten(InetSocketAddress at) {
        listening.remove(at);
    }

    /** A dial from {@code client}: after the latency, the server accepts it (or the client hears it was refused). */
    void connect(SimSocket client, InetSocketAddress to) {
        SimHost target = hostsByIp.get(to.getAddress().getHostAddress());
        long latency = target == null ? groups.get(client.host().group()).latencyNanos()
                : latency(client.host(), target);
        if (target != null && java.util.Arrays.stream(route(client.host(), target).links()).anyMatch(l -> l.down)) {
            return; // the SYN is lost: the dialler's own timeout gives up on it
        }
        later(2 * latency, new Delivery(now + 2 * latency, null, null, 0, () -> {
            SimServerSocket server = listening.get(to);
            if (server == null || !server.isOpen()) {
                client.refused();
                return;
            }
            SimSocket accepted = new SimSocket(target, to, client.local());
            accepted.pair(client);
            client.pair(accepted);
            client.route = route(client.host(), target);
            accepted.route = route(target, client.host());
            client.order = ends.size();
            ends.add(client);
            accepted.order = ends.size();
            ends.add(accepted);
            server.offer(accepted);
            client.established();
        }));
    }

    long latency(SimHost from, SimHost to) {
        return route(from, to).latencyNanos();
    }

    /** The peer end closed: after the latency, {@code to} sees the end of the stream (bytes in flight first). */
    void closed(SimSocket to, long latency) {
        later(latency, new Delivery(now + latency, null, null, 0, to::peerClosed));
    }

    // ---- time ---------------------------------------------------------------------------------

    /** Moves one slot on: deliveries due, then each connection's share of the slot's capacity. */
    public void slot() {
        now += slotNanos;
        deliverDue();
        for (SimHost h : hostsByIp.values()) {
            h.refill(slotNanos);
        }
        for (Link l : links.values()) {
            l.tokens = l.bytesPerSecond * slotNanos / 1_000_000_000L;
        }
        for (Link l : wans.values()) {
            l.tokens = l.down ? 0 : l.bytesPerSecond * slotNanos / 1_000_000_000L;
        }
        int count = fairShare ? leastRecentlyServedFirst() : rotated();
        SimSocket[] active = this.active;
        SimSocket[] waited = fairShare ? Arrays.copyOf(active, count) : null; // the turn at the start of the slot
        List<SimSocket> served = fairShare ? new ArrayList<>() : null;
        // rounds of one chunk per connection; a connection that cannot move a byte leaves the slot's rounds, as
        // within a slot nothing it waits for comes back (tokens and window only shrink, nothing new is buffered)
        while (count > 0) {
            int kept = 0;
            for (int k = 0; k < count; k++) {
                SimSocket from = active[k];
                if (from.sendBuffered() == 0) {
                    continue;
                }
                SimSocket to = from.peer();
                if (to == null || to.isGone()) {
                    from.discardSendBuffer();
                    continue;
                }
                SimHost a = from.host();
                SimHost b = to.host();
                Route route = (Route) from.route;
                Link[] crossing = route.links();
                long n = Math.min(CHUNK, from.sendBuffered());
                n = Math.min(n, a.upTokens());
                n = Math.min(n, b.downTokens());
                n = Math.min(n, RECEIVE_WINDOW - to.unread() - to.inFlight());
                for (Link link : crossing) {
                    n = Math.min(n, link.tokens);
                }
                if (n <= 0) {
                    continue;
                }
                SimSocket.Slice[] data = from.takeSent((int) n);
                a.spendUp(n);
                b.spendDown(n);
                for (Link link : crossing) {
                    link.tokens -= n;
                }
                to.addInFlight((int) n);
                route.deliveries().add(new Delivery(now + route.latencyNanos(), to, data, (int) n, null));
                route.counter()[0] += n;
                if (crossing.length > 0) {
                    b.crossedIn += n;
                }
                totalBytes += n;
                active[kept++] = from;
                if (fairShare && !from.servedThisSlot) {
                    from.servedThisSlot = true;
                    served.add(from);
                }
            }
            count = kept;
        }
        if (fairShare) { // the next turn: those that waited in vain, in their order, then those served, in theirs
            turn.clear();
            for (SimSocket e : waited) {
                if (!e.servedThisSlot) {
                    turn.add(e);
                }
            }
            for (SimSocket e : served) {
                e.servedThisSlot = false;
                turn.add(e);
            }
        }
        if (++slotsRun % COMPACT_EVERY == 0 && ends.stream().anyMatch(SimSocket::isGone)) {
            ends.removeIf(SimSocket::isGone);
            sendingEnds.clear();
            for (int i = 0; i < ends.size(); i++) {
                SimSocket e = ends.get(i);
                e.order = i;
                if (e.sendBuffered() > 0) {
                    sendingEnds.set(i);
                }
            }
        }
    }

    /** The ends a slot serves, in turn (the first {@code count} of it); reused from slot to slot. */
    private SimSocket[] active = new SimSocket[64];
    private SimSocket[] sendingNow = new SimSocket[64];

    /**
     * The ends with bytes to send, in the order of {@link #ends} starting one further on each slot, into
     * {@link #active}; returns how many.
     */
    private int rotated() {
        int n = 0;
        for (int i = sendingEnds.nextSetBit(0); i >= 0; i = sendingEnds.nextSetBit(i + 1)) {
            SimSocket e = ends.get(i);
            if (e.sendBuffered() > 0) {
                if (n == sendingNow.length) {
                    sendingNow = Arrays.copyOf(sendingNow, 2 * n);
                }
                sendingNow[n++] = e;
            } else {
                sendingEnds.clear(i);
            }
        }
        if (active.length < n) {
            active = new SimSocket[sendingNow.length];
        }
        int first = n == 0 ? 0 : (int) (slots++ % n);
        System.arraycopy(sendingNow, first, active, 0, n - first);
        System.arraycopy(sendingNow, 0, active, n - first, first);
        return n;
    }

    /** The ends with bytes to send, least recently served first ({@link #fairShare}), into {@link #active}; how many. */
    private int leastRecentlyServedFirst() {
        for (int i = sendingEnds.nextSetBit(0); i >= 0; i = sendingEnds.nextSetBit(i + 1)) {
            SimSocket e = ends.get(i);
            sendingEnds.clear(i);
            if (e.sendBuffered() > 0 && !e.inTurn) {
                e.inTurn = true;
                turn.add(e); // new to sending: last in turn
            }
        }
        if (active.length < turn.size()) {
            active = new SimSocket[2 * turn.size()];
        }
        int n = 0;
        for (SimSocket e : turn) {
            if (e.sendBuffered() > 0 && !e.isGone()) {
                active[n++] = e;
            } else {
                e.inTurn = false;
            }
        }
        return n;
    }

    /** {@code end} has bytes to send (its first since a slot found it empty, or more). */
    void sending(SimSocket end) {
        if (end.order >= 0) {
            sendingEnds.set(end.order);
        }
    }

    private void later(long delay, Delivery d) {
        queue(delay).add(d);
    }

    /** The queue of deliveries {@code delay} after they are sent (one per delay, kept for the run). */
    private ArrayDeque<Delivery> queue(long delay) {
        ArrayDeque<Delivery> q = inFlight.get(delay);
        if (q == null) {
            q = new ArrayDeque<>();
            inFlight.put(delay, q);
            queues = inFlight.values().toArray(new ArrayDeque<?>[0]);
        }
        return q;
    }

    /** {@link #inFlight}'s queues, in the map's order. */
    private ArrayDeque<?>[] queues = new ArrayDeque<?>[0];

    private void deliverDue() {
        for (ArrayDeque<?> q : queues) { // a delivery may send more (to a queue there is already: it is due later)
            @SuppressWarnings("unchecked")
            ArrayDeque<Delivery> queue = (ArrayDeque<Delivery>) q;
            Delivery d;
            while ((d = queue.peek()) != null && d.at() <= now) {
                queue.poll();
                if (d.then() != null) {
                    d.then().run();
                } else {
                    d.to().deliver(d.data(), d.length());
                }
            }
        }
    }

    /** Whether nothing is in flight and nothing waits to be sent. */
    public boolean idle() {
        return inFlight.values().stream().allMatch(ArrayDeque::isEmpty) && ends.stream().allMatch(e -> e.sendBuffered() == 0);
    }
}

package dev.freshet.web.api;

import dev.freshet.control.Publications;
import dev.freshet.control.RateHistory;
import dev.freshet.control.SwarmNotFoundException;
import dev.freshet.control.ClusterQueries;
import dev.freshet.control.NodeSwarms;
import dev.freshet.web.api.facade.ClusterDto;
import dev.freshet.web.api.facade.SwarmAssembler;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The open event streams. Each has its own one-second task on the container's scheduled executor; it sends
 * an event only when its JSON changed, else an empty comment, so that a client that went away is noticed within
 * a second or two; at most {@link #MAX_STREAMS_PER_USER} per user.
 */
@ApplicationScoped
public class EventStreams {
    private static final System.Logger LOG = System.getLogger(EventStreams.class.getName());
    private static final Jsonb JSON = JsonbBuilder.create();
    private static final int MAX_STREAMS = 64;
    /**
     * Streams one user may hold (issue 10, case 9: a viewer holding all 64 shut the admin out). A user's next
     * stream beyond it replaces that user's oldest, so a console reloaded many times never locks its own user out.
     */
    static final int MAX_STREAMS_PER_USER = 8;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;
    @EJB
    NodeSwarms swarms;
    @Inject
    ClusterQueries clusterQueries;
    @Inject
    Publications publications;
    @EJB
    RateHistory rates;

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final Frames frames = new Frames();

    /**
     * The swarm list as JSON per swarm, made at most once a second for all streams (one with keys for admins, one
     * without): with 10,000 swarms each stream compares strings instead of assembling and writing its own list, and
     * a swarm whose view did not change (an idle seed) keeps its JSON, the very same string, without writing it anew.
     */
    private final class Frames {
        private record Made(dev.freshet.control.NodeSwarm view, String json) {
        }

        /** One flavour of the list (with keys or without): each swarm's view and JSON in list order, and when made. */
        private record Frame(long at, Map<String, Made> made, Map<String, String> json) {
        }

        private final Map<Boolean, Frame> frames = new HashMap<>();

        synchronized Map<String, String> current(boolean withKeys) {
            long now = System.nanoTime();
            Frame last = frames.get(withKeys);
            if (last == null || now - last.at() > 900_000_000L) {
                Map<String, Made> made = new HashMap<>();
                Map<String, String> json = new LinkedHashMap<>();
                for (dev.freshet.control.NodeSwarm view : swarms.list()) {
                    String hash = view.hex();
                    Made before = last == null ? null : last.made().get(hash);
                    Made m = before != null && before.view().equals(view) ? before
                            : new Made(view, JSON.toJson(SwarmAssembler.toDto(view, withKeys)));
                    made.put(hash, m);
                    json.put(hash, m.json());
                }
                last = new Frame(now, made, java.util.Collections.unmodifiableMap(json));
                frames.put(withKeys, last);
            }
            return last.json();
        }
    }

    void open(SseEventSink sink, Sse sse, String swarm, boolean cluster, String user, boolean admin) {
        synchronized (open) {
            List<Stream> mine = open.stream().filter(o -> o.user.equals(user))
                    .sorted(java.util.Comparator.comparingLong(o -> o.openedAt)).toList();
            for (int i = 0; i <= mine.size() - MAX_STREAMS_PER_USER; i++) {
                mine.get(i).close();
            }
        }
        if (open.size() >= MAX_STREAMS) {
            sink.send(sse.newEventBuilder().name("error").mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data("too many event streams on this node (" + MAX_STREAMS + ")").build());
            sink.close();
            return;
        }
        Stream s = new Stream(sink, sse, swarm, cluster, user, admin);
        open.add(s);
        s.task = scheduler.scheduleAtFixedRate(s::tick, 0, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void closeAll() {
        open.forEach(Stream::close);
    }

    private final class Stream {
        private final SseEventSink sink;
        private final Sse sse;
        private final String swarm;
        private final boolean cluster;
        private final String user;
        private final boolean admin;
        private final long openedAt = System.nanoTime();
        private boolean sent;
        private final Map<String, String> last = new HashMap<>(); // tick() is synchronized
        /** Per swarm, the JSON this stream sent last (null before the first {@code node} event). */
        private Map<String, String> sentSwarms;
        /** The rates and publications part of the last {@code node} event. */
        private String sentRest;
        private volatile ScheduledFuture<?> task;
        private long ticks;

        Stream(SseEventSink sink, Sse sse, String swarm, boolean cluster, String user, boolean admin) {
            this.user = user;
            this.admin = admin;
            this.sink = sink;
            this.sse = sse;
            this.swarm = swarm;
            this.cluster = cluster;
        }

        synchronized void tick() {
            if (sink.isClosed()) {
                close();
                return;
            }
            try {
                sendNode();
                if (swarm != null) {
                    Object detail;
                    try {
                        detail = SwarmAssembler.toDto(swarms.view(swarm), admin);
                    } catch (SwarmNotFoundException e) {
                        detail = Map.of("infoHash", swarm, "gone", true);
                    }
                    send("swarm", detail);
                }
                if (cluster && ticks % 2 == 0) {
                    send("cluster", ClusterDto.of(clusterQueries.overview()));
                }
                if (!sent) {
                    // something every second, so that a client that went away is noticed (and its slot freed)
                    // at the next write, not minutes later
                    sink.send(sse.newEventBuilder().comment("").build())
                            .whenComplete((ok, failure) -> closeIf(failure));
                }
                sent = false;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "event stream tick failed", e);
            }
            ticks++;
        }

        /**
         * The {@code node} event: the whole list the first time ({@code swarms}), then only the swarms whose JSON
         * changed since this stream last sent them ({@code changed}) and those gone ({@code removed}); with the
         * node's rates and publications. Sent only when any of it changed: an idle node of 10,000 seeding swarms
         * sends nothing, a busy one the few swarms that moved.
         */
        private void sendNode() {
            Map<String, String> now = frames.current(admin);
            String rest = "\"publications\":" + JSON.toJson(publications.running()) + ",\"rate\":"
                    + JSON.toJson(rates.latest(RateHistory.NODE).orElse(null));
            StringBuilder json = new StringBuilder(256);
            if (sentSwarms == null) {
                json.append("{\"swarms\":[").append(String.join(",", now.values())).append("],");
            } else {
                List<String> changed = new ArrayList<>();
                for (Map.Entry<String, String> e : now.entrySet()) {
                    if (!e.getValue().equals(sentSwarms.get(e.getKey()))) {
                        changed.add(e.getValue());
                    }
                }
                List<String> removed = sentSwarms.keySet().stream().filter(h -> !now.containsKey(h)).toList();
                if (changed.isEmpty() && removed.isEmpty() && rest.equals(sentRest)) {
                    return;
                }
                json.append("{\"changed\":[").append(String.join(",", changed)).append("],\"removed\":")
                        .append(JSON.toJson(removed)).append(',');
            }
            json.append(rest).append('}');
            sentSwarms = now;
            sentRest = rest;
            sent = true;
            sink.send(sse.newEventBuilder().name("node").mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, json.toString()).build()).whenComplete((ok, failure) -> closeIf(failure));
        }

        private void send(String name, Object value) {
            String json = JSON.toJson(value);
            if (Objects.equals(last.put(name, json), json)) {
                return;
            }
            sent = true;
            sink.send(sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, json)
                    .build()).whenComplete((ok, failure) -> closeIf(failure));
        }

        private void closeIf(Throwable failure) {
            if (failure != null) {
                close();
            }
        }

        void close() {
            open.remove(this);
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        }
    }
}

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
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("swarms", SwarmAssembler.toDtos(swarms.list(), admin));
                node.put("publications", publications.running());
                node.put("rate", rates.latest(RateHistory.NODE).orElse(null));
                send("node", node);
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

package dev.freshet.engine.swarm;

import dev.freshet.engine.tracker.HttpTrackerClient;
import dev.freshet.engine.tracker.HttpTrackerClient.Event;
import dev.freshet.engine.tracker.TrackerException;

import java.util.List;

/**
 * Announces a swarm to its HTTP trackers (tiers in order, BEP 12) on start, on completion, on stop
 * and at the interval the tracker asks for. The HTTP call runs on the hashing executor; its answer
 * comes back to the network thread. Owned by the network thread.
 */
final class Announcer {
    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());
    private static final long SECOND = 1_000_000_000L;
    private static final int MIN_INTERVAL = 30;
    private static final HttpTrackerClient CLIENT = new HttpTrackerClient(15_000);

    private final Swarm swarm;
    private final List<String> urls;
    private long nextAnnounce = Long.MAX_VALUE;
    private boolean inFlight;

    Announcer(Swarm swarm) {
        this.swarm = swarm;
        this.urls = java.util.stream.Stream.concat(swarm.metainfo.trackerTiers().stream().flatMap(List::stream),
                        swarm.options.extraTrackers().stream())
                .filter(u -> u.startsWith("http://") || u.startsWith("https://")).distinct().toList();
    }

    private boolean enabled() {
        return swarm.options.announce() && !urls.isEmpty();
    }

    void start() {
        send(Event.STARTED);
    }

    void completed() {
        send(Event.COMPLETED);
    }

    void stopped() {
        send(Event.STOPPED);
        nextAnnounce = Long.MAX_VALUE;
    }

    void tick(long now) {
        if (now >= nextAnnounce && !inFlight) {
            send(Event.NONE);
        }
    }

    private void send(Event event) {
        if (!enabled()) {
            return;
        }
        NetworkLoop loop = swarm.loop;
        HttpTrackerClient.AnnounceRequest request = new HttpTrackerClient.AnnounceRequest(swarm.infoHash,
                loop.peerId(), loop.listenPort(), swarm.uploadedTotal(), swarm.downloadedTotal(), swarm.leftBytes(),
                event, 80);
        inFlight = event != Event.STOPPED;
        loop.config().hashingExecutor().execute(() -> {
            HttpTrackerClient.AnnounceResponse answer = null;
            String lastError = null;
            for (String url : urls) {
                try {
                    answer = CLIENT.announce(url, request);
                    break;
                } catch (TrackerException e) {
                    lastError = e.getMessage();
                }
            }
            HttpTrackerClient.AnnounceResponse result = answer;
            String error = lastError;
            if (event == Event.STOPPED) {
                return;
            }
            loop.execute(() -> answered(result, error));
        });
    }

    private void answered(HttpTrackerClient.AnnounceResponse answer, String error) {
        inFlight = false;
        long now = swarm.loop.now();
        if (answer == null) {
            LOG.log(System.Logger.Level.WARNING, "announce of " + swarm.infoHash + " failed: " + error);
            nextAnnounce = now + 60 * SECOND;
            return;
        }
        nextAnnounce = now + Math.max(MIN_INTERVAL, answer.interval()) * SECOND;
        if (swarm.isRunning()) {
            swarm.addPeers(answer.peers());
        }
    }
}

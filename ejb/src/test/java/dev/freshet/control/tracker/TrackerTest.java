package dev.freshet.control.tracker;

import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.InMemorySwarmDirectory;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.PublishedSwarm;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tracker's decisions over the in-memory directory and a clock of the test's own: milliseconds, where the same
 * behaviour over the grid ({@code Issue10TrackerTest}) or a cluster of nodes takes seconds to minutes.
 */
class TrackerTest {
    private static final String HASH = "ab".repeat(20);
    private final AtomicLong clock = new AtomicLong(5_000_000);
    private final InMemorySwarmDirectory.Grid grid = InMemorySwarmDirectory.grid(clock::get);
    private final InMemorySwarmDirectory hq = InMemorySwarmDirectory.join(grid, "hq");
    private final InMemorySwarmDirectory paris = InMemorySwarmDirectory.join(grid, "paris");

    TrackerTest() {
        hq.announce(new MemberEntry("hq", "hq", "hq", "127.0.0.11", 6881, 0, "", "", ""));
        paris.announce(new MemberEntry("paris", "paris", "paris", "127.0.0.12", 6881, 0, "", "", ""));
    }

    private static Announce from(String ip, int port, long left, String event, String auth) {
        return new Announce(HASH, ip, port, left, event, 50, auth);
    }

    @Test
    void membersHoldingASwarmAreItsPeersAndCountedOnce() {
        hq.hold(Holding.of(HASH, "hq", 4, 4, "SEEDING"));
        paris.hold(Holding.of(HASH, "paris", 1, 4, "DOWNLOADING"));
        Tracker tracker = new Tracker(hq, 100);
        TrackerAnswer a = tracker.announce(from("127.0.3.1", 7000, 100, "started", null));
        assertThat(a.peers()).containsExactlyInAnyOrder(new InetSocketAddress("127.0.0.11", 6881),
                new InetSocketAddress("127.0.0.12", 6881));
        assertThat(a.complete()).isEqualTo(1);
        assertThat(a.incomplete()).isEqualTo(2); // paris and the client
        // a member announcing to another node's tracker is listed as the member, not again as a client
        TrackerAnswer b = new Tracker(paris, 100).announce(from("127.0.0.11", 6881, 0, "", null));
        assertThat(b.complete()).isEqualTo(1);
        assertThat(b.peers()).doesNotContain(new InetSocketAddress("127.0.0.11", 6881));
    }

    @Test
    void anOutsideClientIsForgottenTwoIntervalsAfterItsLastAnnounce() {
        Tracker tracker = new Tracker(hq, 100);
        tracker.announce(from("127.0.3.1", 7000, 100, "started", null));
        clock.addAndGet(Tracker.INTERVAL * 1000L);
        assertThat(tracker.announce(from("127.0.3.2", 7000, 100, "started", null)).peers()).hasSize(1);
        clock.addAndGet(Tracker.INTERVAL * 1000L + 1);
        assertThat(tracker.announce(from("127.0.3.2", 7000, 100, "", null)).peers()).isEmpty();
    }

    @Test
    void aPrivateSwarmAnswersOnlyAnnouncesAndScrapesWithItsKey() {
        hq.publish(new PublishedSwarm(HASH, "secret", 1000, 4, "all", "", "hq", 0, true, "k3y"));
        Tracker tracker = new Tracker(hq, 100);
        assertThatThrownBy(() -> tracker.announce(from("127.0.3.1", 7000, 100, "started", null)))
                .isInstanceOf(TrackerRefusal.class).hasMessageContaining("private");
        assertThatThrownBy(() -> tracker.announce(from("127.0.3.1", 7000, 100, "started", "wrong")))
                .isInstanceOf(TrackerRefusal.class);
        tracker.announce(from("127.0.3.1", 7000, 100, "started", "k3y"));
        assertThat(tracker.scrape(java.util.List.of(HASH), null)).isEmpty();
        assertThat(tracker.scrape(java.util.List.of(HASH), "k3y")).containsKey(HASH);
    }

    @Test
    void swarmsFollowedForOutsidersAreCappedButKnownOnesTakeNewClients() {
        Tracker tracker = new Tracker(hq, 3);
        for (int i = 0; i < 3; i++) {
            tracker.announce(new Announce(String.format("%040x", i + 1), "127.0.4." + (i + 1), 7000, 1, "started", 50, null));
        }
        assertThatThrownBy(() -> tracker.announce(new Announce("ff".repeat(20), "127.0.4.9", 7000, 1, "started", 50,
                null))).isInstanceOf(TrackerRefusal.class).hasMessageContaining("as many swarms outside its cluster");
        tracker.announce(new Announce(String.format("%040x", 1), "127.0.4.10", 7000, 1, "started", 50, null));
        // once their clients are gone, there is room again
        clock.addAndGet(2 * Tracker.INTERVAL * 1000L + 1);
        tracker.announce(new Announce("ff".repeat(20), "127.0.4.9", 7000, 1, "started", 50, null));
    }
}

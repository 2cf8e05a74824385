package dev.freshet.control.tracker;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.freshet.control.directory.HazelcastSwarmDirectory;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.OutsidePeers;
import dev.freshet.control.directory.SwarmDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, case 11: the open tracker's memory and cost are bounded whatever strangers announce. Two real
 * Hazelcast members on loopback (TCP/IP join, no multicast), each with its own tracker over the directory.
 */
class Issue10TrackerTest {
    private static HazelcastInstance one;
    private static HazelcastInstance two;
    private static SwarmDirectory dirOne;
    private static SwarmDirectory dirTwo;
    private final Random random = new Random();

    @BeforeAll
    static void grid() {
        String cluster = "tracker-test-" + UUID.randomUUID();
        int port = 5900 + new Random().nextInt(500) * 2;
        one = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 2));
        two = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 2));
        dirOne = HazelcastSwarmDirectory.on(one, dev.freshet.control.LoopbackGrid.SEAL);
        dirTwo = HazelcastSwarmDirectory.on(two, dev.freshet.control.LoopbackGrid.SEAL);
        // the members of the cluster, as nodes publish them: their peers dial 127.0.0.1
        dirOne.announce(new MemberEntry(dirOne.localMemberId(), "one", "hq", "127.0.0.1", 6881, 0, "", "00", ""));
        dirTwo.announce(new MemberEntry(dirTwo.localMemberId(), "two", "hq", "127.0.0.1", 6882, 0, "", "00", ""));
    }

    /** Each test starts with no outside clients tracked, and directories whose cached counts are fresh. */
    @org.junit.jupiter.api.BeforeEach
    void clean() {
        one.getMap("freshet.outside-peers").clear();
        dirOne = HazelcastSwarmDirectory.on(one, dev.freshet.control.LoopbackGrid.SEAL);
        dirTwo = HazelcastSwarmDirectory.on(two, dev.freshet.control.LoopbackGrid.SEAL);
    }

    @AfterAll
    static void stop() {
        if (two != null) {
            two.shutdown();
        }
        if (one != null) {
            one.shutdown();
        }
    }

    private String randomHash() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Announce announce(String hash, String ip, int port) {
        return new Announce(hash, ip, port, 1000, "started", 50, null);
    }

    @Test
    void anOutsideClientIsSeenThroughEveryMembersTrackerAndForgottenWhenItStops() {
        Tracker a = new Tracker(dirOne, 100);
        Tracker b = new Tracker(dirTwo, 100);
        String hash = randomHash();
        a.announce(announce(hash, "127.0.5.1", 7001));
        TrackerAnswer seen = b.announce(announce(hash, "127.0.5.2", 7002));
        assertThat(seen.peers()).containsExactly(new InetSocketAddress("127.0.5.1", 7001));
        assertThat(seen.incomplete()).isEqualTo(2);
        b.announce(new Announce(hash, "127.0.5.1", 7001, 0, "stopped", 50, null));
        assertThat(a.announce(announce(hash, "127.0.5.2", 7002)).peers()).isEmpty();
    }

    @Test
    void oneAddressFloodingAnnouncesIsRefusedButMembersAreNot() {
        Tracker t = new Tracker(dirOne, 100_000);
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            try {
                t.announce(announce(randomHash(), "127.0.0.99", 7000));
            } catch (TrackerRefusal e) {
                assertThat(e.getMessage()).contains("too many announces");
                refused++;
            }
        }
        System.out.println("FIGURE announce flood: " + (400 - refused) + " of 400 announces from one address taken, "
                + refused + " refused");
        assertThat(refused).isGreaterThan(200);
        // a member announcing each of its many swarms is not a flood
        for (int i = 0; i < 400; i++) {
            t.announce(announce(randomHash(), "127.0.0.1", 6881));
        }
    }

    @Test
    void swarmsAndPeersTrackedForOutsidersAreCapped() throws Exception {
        Tracker t = new Tracker(dirOne, 60);
        List<String> taken = new ArrayList<>();
        String refusal = null;
        for (int i = 0; i < 200 && refusal == null; i++) {
            String hash = randomHash();
            try {
                t.announce(announce(hash, "127.0.6." + (i % 200 + 1), 7000));
                taken.add(hash);
            } catch (TrackerRefusal e) {
                refusal = e.getMessage();
            }
            if (i % 20 == 19) {
                Thread.sleep(1100); // the count is refreshed once a second
            }
        }
        assertThat(refusal).contains("as many swarms outside its cluster as it may");
        assertThat(dirOne.outsideSwarmCount()).isLessThanOrEqualTo(60 + 20);
        // a swarm already followed still takes new clients
        t.announce(announce(taken.get(0), "127.0.7.1", 7100));
        // one swarm keeps at most its cap of clients, the newest
        String crowded = taken.get(1);
        for (int i = 0; i < OutsidePeers.MAX_PER_SWARM + 50; i++) {
            dirTwo.recordOutsidePeer(new dev.freshet.control.directory.OutsidePeer(crowded, "127.1." + (i / 250) + "."
                    + (i % 250 + 1), 7000 + i, false), 120);
        }
        var peers = dirOne.outsidePeers(crowded);
        assertThat(peers).hasSize(OutsidePeers.MAX_PER_SWARM);
        assertThat(peers).anyMatch(p -> p.port() == 7000 + OutsidePeers.MAX_PER_SWARM + 49);
    }

    /** Figures, not assertions: an announce costs the same with ten thousand strangers' swarms tracked as with none. */
    @Test
    void anAnnounceCostsTheSameWithManyStrangersTracked() {
        Tracker t = new Tracker(dirOne, 1_000_000);
        String hash = randomHash();
        double empty = medianMicros(t, hash);
        for (int i = 0; i < 10_000; i++) {
            dirTwo.recordOutsidePeer(new dev.freshet.control.directory.OutsidePeer(randomHash(), "127.2." + (i % 250)
                    + ".1", 7000, false), 120);
        }
        double full = medianMicros(t, hash);
        System.out.printf("FIGURE tracker announce, median of 200: %.0f µs with %d swarms tracked before, %.0f µs "
                + "with %d%n", empty, 0, full, dirOne.outsideSwarmCount());
    }

    private static double medianMicros(Tracker t, String hash) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            t.announce(announce(hash, "127.0.8." + (i % 200 + 1), 7000));
            times.add(System.nanoTime() - t0);
        }
        Collections.sort(times);
        return times.get(times.size() / 2) / 1000.0;
    }
}

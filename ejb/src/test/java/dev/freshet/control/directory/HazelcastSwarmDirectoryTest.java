package dev.freshet.control.directory;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The grid's directory: two real Hazelcast members on loopback (TCP/IP join, no multicast). */
class HazelcastSwarmDirectoryTest extends SwarmDirectoryContractTest {
    private static String cluster;
    private static int port;
    private static HazelcastInstance a;
    private static HazelcastInstance b;
    private static HazelcastSwarmDirectory one;
    private static HazelcastSwarmDirectory two;

    @BeforeAll
    static void grid() {
        cluster = "directory-contract-" + UUID.randomUUID();
        port = 7700 + new Random().nextInt(300) * 3;
        a = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        b = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        one = HazelcastSwarmDirectory.on(a, dev.freshet.control.LoopbackGrid.SEAL);
        two = HazelcastSwarmDirectory.on(b, dev.freshet.control.LoopbackGrid.SEAL);
        one.announce(new MemberEntry(one.localMemberId(), "one", "hq", "127.0.0.1", 6881, 0, "", "", ""));
        two.announce(new MemberEntry(two.localMemberId(), "two", "hq", "127.0.0.1", 6882, 0, "", "", ""));
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.shutdown();
        }
        if (a != null) {
            a.shutdown();
        }
    }

    @org.junit.jupiter.api.Test
    void everyMemberKeepsTheListOfSwarmsByTheMapsEventsAndTellsOfNewOnesOnceItHasThem() throws Exception {
        // a directory of its own on member b: its list starts from a full read, then follows events
        HazelcastSwarmDirectory three = HazelcastSwarmDirectory.on(b, dev.freshet.control.LoopbackGrid.SEAL);
        java.util.List<Boolean> listedWhenTold = new java.util.concurrent.CopyOnWriteArrayList<>();
        String h = hash();
        three.onNews(() -> listedWhenTold.add(three.swarms().stream().anyMatch(p -> p.infoHash().equals(h))));
        assertThat(three.swarms()).noneMatch(p -> p.infoHash().equals(h));
        one.publish(new PublishedSwarm(h, "mirrored", 1000, 1, "all", "", one.localMemberId(), 0, false, null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !listedWhenTold.isEmpty());
        assertThat(listedWhenTold).as("news comes after the list has the swarm").containsOnly(true);
        one.unpublish(h);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> three.swarms().stream().noneMatch(p -> p.infoHash().equals(h)));
        // a removal whose event this member never heard (its listener gone): the next full read drops it
        String g = hash();
        one.publish(new PublishedSwarm(g, "lost", 1000, 1, "all", "", one.localMemberId(), 0, false, null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> three.swarms().stream().anyMatch(p -> p.infoHash().equals(g)));
        three.close();
        b.getMap(HazelcastSwarmDirectory.SWARMS).delete(g);
        assertThat(three.swarms()).as("until the next full read").anyMatch(p -> p.infoHash().equals(g));
        three.forceFullRead();
        assertThat(three.swarms()).noneMatch(p -> p.infoHash().equals(g));
    }

    @org.junit.jupiter.api.Test
    void everyMemberKeepsTheHoldingsByTheMapsEventsWhileAHoldersQueryReadsTheGridNow() throws Exception {
        HazelcastSwarmDirectory three = HazelcastSwarmDirectory.on(b, dev.freshet.control.LoopbackGrid.SEAL);
        String h = hash();
        assertThat(three.holdings()).noneMatch(x -> x.infoHash().equals(h)); // the first read: the whole map
        one.hold(Holding.of(h, one.localMemberId(), 3, 10, "DOWNLOADING"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> three.holdings().contains(Holding.of(h, one.localMemberId(), 3, 10, "DOWNLOADING")));
        one.holdAll(java.util.List.of(Holding.of(h, one.localMemberId(), 10, 10, "SEEDING")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> three.holdings().contains(Holding.of(h, one.localMemberId(), 10, 10, "SEEDING")));
        assertThat(three.holdings()).filteredOn(x -> x.infoHash().equals(h)).hasSize(1);
        one.release(h);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> three.holdings().stream().noneMatch(x -> x.infoHash().equals(h)));
        // events this member no longer hears (its listeners gone): holders() reads the grid now, holdings() has the
        // view it kept until its next full read
        three.close();
        two.hold(Holding.of(h, two.localMemberId(), 10, 10, "SEEDING"));
        assertThat(three.holders(h)).containsExactly(Holding.of(h, two.localMemberId(), 10, 10, "SEEDING"));
        assertThat(three.holdings()).noneMatch(x -> x.infoHash().equals(h));
        three.forceFullRead();
        assertThat(three.holdings()).contains(Holding.of(h, two.localMemberId(), 10, 10, "SEEDING"));
        b.getMap(HazelcastSwarmDirectory.HOLDINGS).delete(h + "/" + two.localMemberId());
        assertThat(three.holdings()).as("until the next full read").anyMatch(x -> x.infoHash().equals(h));
        three.forceFullRead();
        assertThat(three.holdings()).noneMatch(x -> x.infoHash().equals(h));
        assertThat(three.holders(h)).isEmpty();
    }

    @Override
    SwarmDirectory one() {
        return one;
    }

    @Override
    SwarmDirectory two() {
        return two;
    }

    @Override
    void pass(Duration time) throws InterruptedException {
        Thread.sleep(time.toMillis());
    }

    @Override
    void aMemberHoldsAndDies(String infoHash) {
        HazelcastInstance c = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        try {
            HazelcastSwarmDirectory three = HazelcastSwarmDirectory.on(c, dev.freshet.control.LoopbackGrid.SEAL);
            three.announce(new MemberEntry(three.localMemberId(), "three", "hq", "127.0.0.1", 6883, 0, "", "", ""));
            three.hold(Holding.of(infoHash, three.localMemberId(), 1, 1, "SEEDING"));
        } finally {
            c.getLifecycleService().terminate(); // dies: no graceful leave
        }
    }
}

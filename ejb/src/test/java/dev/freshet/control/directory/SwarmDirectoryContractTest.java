package dev.freshet.control.directory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link SwarmDirectory} does, seen from two members of one cluster: the grid's
 * ({@link HazelcastSwarmDirectory}, real Hazelcast members on loopback) and the in-memory one the fast tests use
 * ({@link InMemorySwarmDirectory}). The grid delivers news asynchronously, so reads of another member wait a little.
 */
abstract class SwarmDirectoryContractTest {
    private final Random random = new Random();

    /** Two members of one cluster; the same two for every test of a class. */
    abstract SwarmDirectory one();

    abstract SwarmDirectory two();

    /** Lets {@code time} pass for entries with a time to live. */
    abstract void pass(Duration time) throws InterruptedException;

    /** A third member that joins, holds {@code infoHash}, and dies. */
    abstract void aMemberHoldsAndDies(String infoHash) throws Exception;

    String hash() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static PublishedSwarm published(String hash, String name, String by) {
        return new PublishedSwarm(hash, name, 1000, 1, "all", "", by, 0, false, null);
    }

    @Test
    void theFirstPublicationOfASwarmStaysAndEveryMemberSeesIt() {
        String h = hash();
        one().publish(published(h, "first", one().localMemberId()));
        two().publish(published(h, "second", two().localMemberId()));
        await().atMost(Duration.ofSeconds(5)).until(() -> two().swarm(h).isPresent());
        assertThat(two().swarm(h).orElseThrow().name()).isEqualTo("first");
        assertThat(one().swarms()).extracting(PublishedSwarm::infoHash).contains(h);
        two().unpublish(h);
        await().atMost(Duration.ofSeconds(5)).until(() -> one().swarm(h).isEmpty());
    }

    @Test
    void aSwarmTakenOutOfTheClusterIsGoneForEveryMemberUntilItIsWantedAgain() {
        String h = hash();
        one().publish(published(h, "build-1", one().localMemberId()));
        await().atMost(Duration.ofSeconds(5)).until(() -> two().swarm(h).isPresent());
        two().unpublishEverywhere(new Unpublished(h, "build-1", "admin", 1234));
        await().atMost(Duration.ofSeconds(5)).until(() -> one().swarm(h).isEmpty() && one().unpublished().containsKey(h));
        assertThat(one().unpublished().get(h)).isEqualTo(new Unpublished(h, "build-1", "admin", 1234));
        one().wantedAgain(h);
        await().atMost(Duration.ofSeconds(5)).until(() -> !two().unpublished().containsKey(h));
    }

    @Test
    void anUnpublicationANodeKeptGoesBackOnlyWhereTheGridHasNone() {
        String h = hash();
        // a cluster that restarted whole: the grid has none, a node that recorded it puts it back
        assertThat(one().keepUnpublished(new Unpublished(h, "build-2", "admin", 1000))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> two().unpublished().containsKey(h));
        // another node that recorded an older or newer one changes nothing: the first one back stands
        assertThat(two().keepUnpublished(new Unpublished(h, "build-2", "ops", 2000))).isFalse();
        assertThat(one().unpublished().get(h)).isEqualTo(new Unpublished(h, "build-2", "admin", 1000));
    }

    @Test
    void holdingsAreEachMembersOwnAndAReleaseTakesOnlyItsOwn() {
        String h = hash();
        one().hold(Holding.of(h, one().localMemberId(), 1, 4, "DOWNLOADING"));
        two().hold(Holding.of(h, two().localMemberId(), 4, 4, "SEEDING"));
        two().hold(Holding.of(h, two().localMemberId(), 4, 4, "PAUSED")); // replaces its previous one
        await().atMost(Duration.ofSeconds(5)).until(() -> one().holders(h).size() == 2);
        assertThat(one().holders(h)).extracting(Holding::state).containsExactlyInAnyOrder("DOWNLOADING", "PAUSED");
        one().release(h);
        await().atMost(Duration.ofSeconds(5)).until(() -> two().holders(h).size() == 1);
        assertThat(two().holders(h).get(0).memberId()).isEqualTo(two().localMemberId());
        assertThat(two().holdings()).contains(two().holders(h).get(0));
        two().release(h);
    }

    @Test
    void membersAnnounceThemselves() {
        assertThat(one().localMemberId()).isNotEqualTo(two().localMemberId());
        await().atMost(Duration.ofSeconds(5)).until(() -> one().members().size() >= 2);
        assertThat(one().members()).extracting(MemberEntry::memberId)
                .contains(one().localMemberId(), two().localMemberId());
    }

    @Test
    void outsideClientsAreSeenByEveryMemberUntilTheyStopOrExpire() throws Exception {
        String h = hash();
        one().recordOutsidePeer(new OutsidePeer(h, "127.0.9.1", 7001, false), 120);
        // 2 s, not 1: Hazelcast keeps an entry's times in whole seconds, so a TTL of 1 s may end at once
        List<OutsidePeer> after = two().recordOutsidePeer(new OutsidePeer(h, "127.0.9.2", 7002, true), 2);
        assertThat(after).extracting(OutsidePeer::port).containsExactlyInAnyOrder(7001, 7002);
        assertThat(one().outsidePeers(h)).hasSize(2);
        assertThat(two().forgetOutsidePeer(new OutsidePeer(h, "127.0.9.1", 7001, false)))
                .extracting(OutsidePeer::port).containsExactly(7002);
        pass(Duration.ofMillis(3100));
        assertThat(one().outsidePeers(h)).isEmpty(); // the client's own announce expired, and with it the entry
        assertThat(one().outsidePeers(hash())).isEmpty();
    }

    @Test
    void newsOfAPublicationOrANewHoldingReachesTheOthers() {
        AtomicInteger heard = new AtomicInteger();
        two().onNews(heard::incrementAndGet);
        String h = hash();
        one().publish(published(h, "news", one().localMemberId()));
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.get() >= 1);
        int before = heard.get();
        one().hold(Holding.of(h, one().localMemberId(), 0, 1, "CHECKING"));
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.get() > before);
        one().release(h);
    }

    @Test
    void aRecheckRequestReachesOnlyTheMemberAskedFor() {
        List<String> heardByOne = new CopyOnWriteArrayList<>();
        List<String> heardByTwo = new CopyOnWriteArrayList<>();
        one().onRecheck((h, p) -> heardByOne.add(h + "/" + p));
        two().onRecheck((h, p) -> heardByTwo.add(h + "/" + p));
        String h = hash();
        one().askRecheck(two().localMemberId(), h, 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> !heardByTwo.isEmpty());
        assertThat(heardByTwo).containsExactly(h + "/3");
        assertThat(heardByOne).isEmpty();
    }

    @Test
    void theEntriesOfAMemberThatDiedAreForgotten() throws Exception {
        String h = hash();
        aMemberHoldsAndDies(h);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            one().forgetDeparted();
            return one().holders(h).isEmpty();
        });
        assertThat(one().members()).extracting(MemberEntry::memberId)
                .containsOnly(one().localMemberId(), two().localMemberId());
    }
}

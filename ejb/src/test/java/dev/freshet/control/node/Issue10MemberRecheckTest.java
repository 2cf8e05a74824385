package dev.freshet.control.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.freshet.control.directory.HazelcastSwarmDirectory;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, case 3 in the cluster: when a piece fetched from other members fails its hash check, each of those
 * members (and only those) hears that it should recheck the piece. Three real Hazelcast members on loopback; the
 * event goes through {@link PeerEventsBean} as the resource adapter delivers it, the request through the grid.
 */
class Issue10MemberRecheckTest {
    private static HazelcastInstance one;
    private static HazelcastInstance two;
    private static HazelcastInstance three;
    private static HazelcastSwarmDirectory dirOne;
    private static final List<String> heardByOne = new CopyOnWriteArrayList<>();
    private static final List<String> heardByTwo = new CopyOnWriteArrayList<>();
    private static final List<String> heardByThree = new CopyOnWriteArrayList<>();
    private static final PeerId ENGINE_TWO = PeerId.of(bytes(2));
    private static final PeerId ENGINE_THREE = PeerId.of(bytes(3));
    private static final PeerId OUTSIDER = PeerId.of(bytes(9));

    @BeforeAll
    static void grid() {
        String cluster = "recheck-test-" + UUID.randomUUID();
        int port = 6900 + new Random().nextInt(400) * 2;
        one = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        two = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        three = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        dirOne = HazelcastSwarmDirectory.on(one, dev.freshet.control.LoopbackGrid.SEAL);
        var dirTwo = HazelcastSwarmDirectory.on(two, dev.freshet.control.LoopbackGrid.SEAL);
        var dirThree = HazelcastSwarmDirectory.on(three, dev.freshet.control.LoopbackGrid.SEAL);
        dirOne.announce(entry(dirOne.localMemberId(), "one", PeerId.of(bytes(1))));
        dirTwo.announce(entry(dirTwo.localMemberId(), "two", ENGINE_TWO));
        dirThree.announce(entry(dirThree.localMemberId(), "three", ENGINE_THREE));
        dirOne.onRecheck((hash, piece) -> heardByOne.add(hash + "/" + piece));
        dirTwo.onRecheck((hash, piece) -> heardByTwo.add(hash + "/" + piece));
        dirThree.onRecheck((hash, piece) -> heardByThree.add(hash + "/" + piece));
    }

    @Test
    void theMembersThatSentAFailedPieceAreAskedToRecheckIt() {
        PeerEventsBean bean = new PeerEventsBean();
        bean.directory = dirOne;
        InfoHash hash = InfoHash.fromHex("ab".repeat(20));
        bean.pieceFailedFromMembers(hash, 17, List.of(ENGINE_TWO, OUTSIDER));
        await().atMost(Duration.ofSeconds(10)).until(() -> !heardByTwo.isEmpty());
        // a malformed request on the topic (a rogue or older member) is dropped, not thrown at the engine
        one.getTopic("freshet.rechecks").publish("not a request");
        one.getTopic("freshet.rechecks").publish(dirOne.localMemberId() + " " + "zz".repeat(20) + " 1");
        bean.pieceFailedFromMembers(hash, 18, List.of(ENGINE_THREE));
        await().atMost(Duration.ofSeconds(10)).until(() -> !heardByThree.isEmpty());
        assertThat(heardByTwo).containsExactly(hash.hex() + "/17");
        assertThat(heardByThree).containsExactly(hash.hex() + "/18");
        assertThat(heardByOne).isEmpty();
    }

    private static MemberEntry entry(String id, String name, PeerId engine) {
        return new MemberEntry(id, name, "hq", "127.0.0.1", 6881, 0, "", HexFormat.of().formatHex(engine.bytes()), "");
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[PeerId.LENGTH];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @AfterAll
    static void stop() {
        for (HazelcastInstance h : new HazelcastInstance[] {three, two, one}) {
            if (h != null) {
                h.shutdown();
            }
        }
    }
}

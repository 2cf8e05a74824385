package dev.freshet.control.grid;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.freshet.control.LoopbackGrid;
import dev.freshet.control.directory.AnnounceKey;
import dev.freshet.control.directory.HazelcastSwarmDirectory;
import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.control.offices.OfficeBudget;
import dev.freshet.control.offices.OfficeGrid;
import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: the attack on the grid, on real Hazelcast members on loopback. Two honest members share the cluster
 * secret; a rogue member joins with the right cluster name and a secret of its own, and a plain Hazelcast client
 * connects with the cluster name. Neither reads a private swarm's key, and nothing they write is taken by the honest
 * members, who see who wrote without the secret.
 */
class GridTrustTest {
    private static final GridSeal ROGUE_SEAL = GridSeal.of("the-rogue-members-own-secret-0123456789");
    private static List<HazelcastInstance> honest;
    private static HazelcastInstance rogueMember;
    private static HazelcastInstance client;
    private static HazelcastSwarmDirectory one;
    private static HazelcastSwarmDirectory two;
    private static HazelcastSwarmDirectory rogue;

    @BeforeAll
    static void grid() {
        honest = LoopbackGrid.start("grid-trust", 2);
        String cluster = honest.get(0).getConfig().getClusterName();
        int port = honest.get(0).getCluster().getLocalMember().getAddress().getPort();
        rogueMember = Hazelcast.newHazelcastInstance(LoopbackGrid.config(cluster, port, 2));
        ClientConfig cc = new ClientConfig().setClusterName(cluster);
        cc.setProperty("hazelcast.logging.type", "none");
        cc.getNetworkConfig().addAddress("127.0.0.1:" + port);
        client = HazelcastClient.newHazelcastClient(cc);
        one = HazelcastSwarmDirectory.on(honest.get(0), LoopbackGrid.SEAL);
        two = HazelcastSwarmDirectory.on(honest.get(1), LoopbackGrid.SEAL);
        rogue = HazelcastSwarmDirectory.on(rogueMember, ROGUE_SEAL);
        one.announce(new MemberEntry(one.localMemberId(), "one", "hq", "127.0.0.1", 6881, 0, "", "", ""));
        two.announce(new MemberEntry(two.localMemberId(), "two", "hq", "127.0.0.1", 6882, 0, "", "", ""));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (rogueMember != null) {
            rogueMember.shutdown();
        }
        LoopbackGrid.stop(honest);
    }

    private static Metainfo privateTorrent(String name, String key) {
        Info info = Info.create(name, 16384, new byte[20], List.of(new FileEntry(List.of(name), 1000)), false, true);
        String url = AnnounceKey.addTo("http://127.0.0.1:8080/announce", key);
        return new Metainfo(info, Optional.of(url), List.of(List.of(url)), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static Metainfo publicTorrent(String name) {
        Info info = Info.create(name, 16384, new byte[20], List.of(new FileEntry(List.of(name), 1000)), false, false);
        return new Metainfo(info, Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static PublishedSwarm entry(Metainfo m, String policy, String by) {
        return PublishedSwarm.of(m.infoHash().hex(), m.info().name(), 1000, 1, policy, m.toBytes(), by);
    }

    @Test
    void neitherTheClientNorTheRogueMemberReadsAPrivateSwarmsKeyOrTorrent() {
        String key = AnnounceKey.generate();
        Metainfo m = privateTorrent("secret-build.iso", key);
        one.publish(entry(m, "all", one.localMemberId()));
        await().atMost(Duration.ofSeconds(5)).until(() -> two.swarm(m.infoHash().hex()).isPresent());
        assertThat(two.swarm(m.infoHash().hex()).orElseThrow().announceKey()).isEqualTo(key);
        // everything the client can read, every map of the grid, raw
        for (HazelcastInstance reader : List.of(client, rogueMember)) {
            for (var object : reader.getDistributedObjects()) {
                if (object instanceof IMap<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        assertThat(String.valueOf(e.getValue())).as("%s in %s", e.getKey(), map.getName())
                                .doesNotContain(key).doesNotContain("secret-build").doesNotContain(
                                        java.util.Base64.getEncoder().encodeToString(m.toBytes()).substring(0, 40));
                    }
                }
            }
        }
        assertThat(rogue.swarm(m.infoHash().hex())).as("the rogue member's own directory opens nothing").isEmpty();
        assertThat(rogue.swarms()).noneMatch(p -> p.infoHash().equals(m.infoHash().hex()));
    }

    @Test
    void swarmsTheyPublishAreNotListedSoNoNodeFetchesThem() {
        long before = LoopbackGrid.SEAL.refusedTotal();
        Metainfo byRogue = publicTorrent("rogue-member.bin");
        rogue.publish(entry(byRogue, "all", rogue.localMemberId()));
        Metainfo byClient = publicTorrent("rogue-client.bin");
        IMap<String, String> swarms = client.getMap("freshet.swarms");
        swarms.set(byClient.infoHash().hex(), jsonOf(entry(byClient, "all", "someone")));
        assertThat(swarms.get(byRogue.infoHash().hex())).isNotNull(); // in the grid, for sure
        await().atMost(Duration.ofSeconds(5)).until(() -> LoopbackGrid.SEAL.refusedTotal() >= before + 2);
        for (HazelcastSwarmDirectory d : List.of(one, two)) {
            d.forceFullRead();
            assertThat(d.swarms()).extracting(PublishedSwarm::infoHash)
                    .doesNotContain(byRogue.infoHash().hex(), byClient.infoHash().hex());
            assertThat(d.swarm(byRogue.infoHash().hex())).isEmpty();
            assertThat(d.swarm(byClient.infoHash().hex())).isEmpty();
        }
        assertThat(LoopbackGrid.SEAL.refusals()).anySatisfy(r -> {
            assertThat(r.space()).isEqualTo("freshet.swarms");
            assertThat(r.reason()).isNotBlank();
        });
    }

    @Test
    void aPublishedSwarmTheyOverwriteStaysAsPublishedAndIsPutBack() {
        Metainfo real = publicTorrent("real.bin");
        String hash = real.infoHash().hex();
        one.publish(entry(real, "office:hq", one.localMemberId()));
        await().atMost(Duration.ofSeconds(5)).until(() -> two.swarm(hash).isPresent());
        IMap<String, String> swarms = client.getMap("freshet.swarms");
        String sealed = swarms.get(hash);
        // another torrent under its info-hash, and the real entry with policy 'all': neither opens
        swarms.set(hash, jsonOf(entry(publicTorrent("evil.bin"), "all", "someone")));
        assertThat(two.swarm(hash)).hasValueSatisfying(p -> assertThat(p.policy()).isEqualTo("office:hq"));
        two.swarms(); // a reconciliation round reads the list: what was overwritten is put back
        await().atMost(Duration.ofSeconds(5)).until(() -> sealed.equals(swarms.get(hash)));
        // a sealed entry of the same swarm from another secret, and plain junk: the same
        swarms.set(hash, ROGUE_SEAL.seal("freshet.swarms", hash, jsonOf(entry(real, "all", "someone"))));
        assertThat(one.swarms()).filteredOn(p -> p.infoHash().equals(hash)).singleElement()
                .satisfies(p -> assertThat(p.policy()).isEqualTo("office:hq"));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            one.swarms();
            return sealed.equals(swarms.get(hash));
        });
        // nor can a sealed entry be moved under another key
        Metainfo other = publicTorrent("other.bin");
        swarms.set(other.infoHash().hex(), sealed);
        assertThat(two.swarm(other.infoHash().hex())).isEmpty();
        // deleted: the publisher's node puts it back (NodeLifecycle republishes what it runs); here the directory
        // does not invent a removal from a text that does not open, and a delete is seen as one
        swarms.delete(hash);
        one.publish(entry(real, "office:hq", one.localMemberId()));
        assertThat(two.swarm(hash)).hasValueSatisfying(p -> assertThat(p.policy()).isEqualTo("office:hq"));
        assertThat(LoopbackGrid.SEAL.open("freshet.swarms", hash, swarms.get(hash))).isPresent();
    }

    @Test
    void membersHoldingsAndOutsidePeersTheyWriteAreNotTaken() {
        rogue.announce(new MemberEntry(rogue.localMemberId(), "rogue", "hq", "127.0.0.1", 6999, 0, "", "", ""));
        client.<String, String>getMap("freshet.members").set("00000000-0000-0000-0000-000000000001",
                jsonOf(new MemberEntry("00000000-0000-0000-0000-000000000001", "fake", "hq", "127.0.0.1", 6998, 0, "", "", "")));
        // an honest member's entry copied under the rogue member's id
        String oneSealed = client.<String, String>getMap("freshet.members").get(one.localMemberId());
        client.<String, String>getMap("freshet.members").set(rogueMember.getCluster().getLocalMember().getUuid().toString() + "x",
                oneSealed);
        assertThat(two.members()).extracting(MemberEntry::name).containsExactlyInAnyOrder("one", "two");
        assertThat(two.strangers()).singleElement().asString()
                .contains(rogueMember.getCluster().getLocalMember().getUuid().toString());
        String hash = publicTorrent("held.bin").infoHash().hex();
        rogue.hold(Holding.of(hash, rogue.localMemberId(), 1, 1, "SEEDING"));
        client.<String, String>getMap("freshet.holdings").set(hash + "/" + one.localMemberId(),
                "{\"infoHash\":\"" + hash + "\",\"memberId\":\"" + one.localMemberId() + "\",\"verifiedPieces\":1}");
        assertThat(two.holders(hash)).isEmpty();
        client.<String, String>getMap("freshet.outside-peers").set(hash, "127.0.0.1 6997 1 9999999999999");
        assertThat(two.outsidePeers(hash)).isEmpty();
    }

    @Test
    void recheckRequestsWithoutTheSecretAreNotActedOn() {
        List<String> asked = new CopyOnWriteArrayList<>();
        two.onRecheck((hash, piece) -> asked.add(hash + "#" + piece));
        String hash = publicTorrent("recheck.bin").infoHash().hex();
        client.getTopic("freshet.rechecks").publish(two.localMemberId() + " " + hash + " 3");
        rogue.askRecheck(two.localMemberId(), hash, 4);
        one.askRecheck(two.localMemberId(), hash, 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> !asked.isEmpty());
        assertThat(asked).containsExactly(hash + "#5");
    }

    @Test
    void officeBudgetsAndReportsTheyWriteAreNotTaken() {
        OfficeGrid honestGrid = OfficeGrid.on(honest.get(1), LoopbackGrid.SEAL);
        OfficeGrid rogueGrid = OfficeGrid.on(rogueMember, ROGUE_SEAL);
        honestGrid.offer(new OfficeBudget("paris", 1_000_000, 0, 100));
        rogueGrid.offer(new OfficeBudget("berlin", 16384, 0, Long.MAX_VALUE));
        client.<String, String>getMap("freshet.office-budgets").set("paris", "1 0 " + Long.MAX_VALUE);
        assertThat(honestGrid.budgets()).doesNotContainKey("berlin");
        assertThat(honestGrid.budget("paris")).isEmpty(); // overwritten without the secret: none readable...
        // ...until the next honest offer, which replaces what does not open whatever its date
        assertThat(honestGrid.offer(new OfficeBudget("paris", 1_000_000, 0, 100)))
                .isEqualTo(new OfficeBudget("paris", 1_000_000, 0, 100));
        assertThat(honestGrid.budget("paris")).contains(new OfficeBudget("paris", 1_000_000, 0, 100));
    }

    private static String jsonOf(Object o) {
        try (var jsonb = jakarta.json.bind.JsonbBuilder.create()) {
            return jsonb.toJson(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

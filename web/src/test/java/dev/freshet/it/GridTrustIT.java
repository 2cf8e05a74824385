package dev.freshet.it;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.freshet.engine.metainfo.Metainfo;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13, the attack on the grid with real Payara Micro nodes: two honest nodes share the cluster secret; a rogue
 * Payara member joins with the right cluster name and no secret of theirs, and a plain Hazelcast client connects with
 * the cluster name. Neither gets a private swarm's key; nothing they write is acted on by the honest nodes (no fetch,
 * no swarm replaced or dropped, no token accepted); the honest nodes say so in their cluster view and metrics.
 */
class GridTrustIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();
    private HazelcastInstance client;

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.shutdown();
        }
    }

    @Test
    void aClientAndAMemberWithoutTheSecretReadNoKeyAndNothingTheyWriteIsActedOn() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("grid-trust-" + System.nanoTime());
        Path published = work.resolve("published");
        Path secretBuild = Artifacts.write(published, "secret-build", 21, 1_500_000);
        Path byRogue = Artifacts.write(published, "from-the-rogue", 22, 700_000);
        Path byClient = Artifacts.write(published, "from-the-client", 23, 600_000);
        cluster.plan(work, 3);
        Map<String, String> roots = Map.of("freshet.publish.roots", published.toString());
        MicroNode hq = cluster.node(0, "hq", roots);
        MicroNode paris = cluster.node(1, "paris", Map.of());
        MicroNode rogue = cluster.node(2, "hq", Map.of("freshet.publish.roots", published.toString(),
                "freshet.cluster.secret", "a-rogue-members-secret-not-the-clusters-0123"));
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris, rogue);

        // honest: a private swarm with policy all reaches paris, not the rogue member
        Api.Reply r = hq.admin().postJson("/api/swarms", "{\"path\":\"" + secretBuild + "\",\"policy\":\"all\","
                + "\"private\":true}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String privateHash = r.json().getString("infoHash");
        Metainfo torrent = Metainfo.parse(hq.admin().getBytes("/api/swarms/" + privateHash + "/torrent"));
        String url = torrent.trackerTiers().get(0).get(0);
        String key = url.substring(url.indexOf("auth=") + 5);
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(paris, privateHash));

        // the rogue member publishes with policy all: nobody honest fetches it
        Api.Reply rr = rogue.admin().postJson("/api/swarms", "{\"path\":\"" + byRogue + "\",\"policy\":\"all\"}");
        assertThat(rr.status()).as(rr.body()).isEqualTo(201);
        String rogueHash = rr.json().getString("infoHash");

        // the plain client: the cluster name and one member's address are all it needs to connect
        ClientConfig cc = new ClientConfig().setClusterName(cluster.clusterName());
        cc.getNetworkConfig().addAddress("127.0.0.1:" + hq.clusterPort);
        client = HazelcastClient.newHazelcastClient(cc);
        List<String> maps = client.getDistributedObjects().stream().filter(o -> o instanceof IMap<?, ?>)
                .map(o -> o.getName()).filter(n -> n.startsWith("freshet.")).toList();
        assertThat(maps).contains("freshet.swarms", "freshet.members", "freshet.holdings");
        for (String name : maps) {
            for (Map.Entry<Object, Object> e : client.getMap(name).entrySet()) {
                assertThat(String.valueOf(e.getValue())).as("%s in %s", e.getKey(), name).doesNotContain(key)
                        .doesNotContain("secret-build");
            }
        }
        IMap<String, String> swarms = client.getMap("freshet.swarms");
        assertThat(swarms.get(privateHash)).startsWith("fs1.");

        // the client publishes a swarm of its own (a real torrent, policy all), and overwrites hq's private swarm
        Api.Reply made = hq.admin().postJson("/api/swarms", "{\"path\":\"" + byClient + "\",\"policy\":\"on-demand\"}");
        String clientHash = made.json().getString("infoHash");
        String clientTorrent = java.util.Base64.getEncoder().encodeToString(hq.admin().getBytes("/api/swarms/"
                + clientHash + "/torrent"));
        hq.admin().delete("/api/swarms/" + clientHash);
        swarms.delete(clientHash);
        swarms.set(clientHash, "{\"infoHash\":\"" + clientHash + "\",\"name\":\"from-the-client\",\"totalLength\":600000,"
                + "\"pieceCount\":3,\"policy\":\"all\",\"torrent\":\"" + clientTorrent + "\",\"publishedBy\":\"x\","
                + "\"publishedAt\":1,\"privateSwarm\":false}");
        String sealedPrivate = swarms.get(privateHash);
        swarms.set(privateHash, "{\"infoHash\":\"" + privateHash + "\",\"policy\":\"on-demand\",\"privateSwarm\":false}");
        // ... and plants an admin token whose secret it knows
        String planted = "fst_0123456789ab_" + "A".repeat(43);
        client.<String, String>getMap("freshet.api-tokens").set("0123456789ab", "{\"id\":\"0123456789ab\",\"name\":\"x\","
                + "\"role\":\"admin\",\"offices\":[],\"createdAt\":1,\"expiresAt\":0,\"revokedAt\":0,\"createdBy\":\"x\","
                + "\"secretHash\":\"" + sha256("A".repeat(43)) + "\",\"changedAt\":1}");
        assertThat(status(hq, "GET", "/api/swarms", "Bearer " + planted)).isEqualTo(401);
        assertThat(status(paris, "GET", "/api/swarms", "Bearer " + planted)).isEqualTo(401);

        // a revoked token brought back by its older, sealed entry stays revoked
        JsonObject created = hq.admin().postJson("/api/tokens", "{\"name\":\"ci\",\"role\":\"viewer\"}").json();
        String token = created.getString("token");
        String tokenId = created.getJsonObject("record") != null ? created.getJsonObject("record").getString("id")
                : created.getString("id");
        assertThat(status(paris, "GET", "/api/swarms", "Bearer " + token)).isEqualTo(200);
        String beforeRevocation = client.<String, String>getMap("freshet.api-tokens").get(tokenId);
        assertThat(hq.admin().delete("/api/tokens/" + tokenId).status()).isEqualTo(200);
        assertThat(status(paris, "GET", "/api/swarms", "Bearer " + token)).isEqualTo(401);
        client.<String, String>getMap("freshet.api-tokens").set(tokenId, beforeRevocation);
        assertThat(status(paris, "GET", "/api/swarms", "Bearer " + token)).isEqualTo(401);
        assertThat(status(hq, "GET", "/api/swarms", "Bearer " + token)).isEqualTo(401);

        // the honest nodes put back what was overwritten, and fetch nothing they were not asked for
        await().atMost(Duration.ofSeconds(20)).until(() -> sealedPrivate.equals(swarms.get(privateHash)));
        Thread.sleep(6000); // three reconciliation rounds: anything the honest nodes would fetch, they would have begun
        for (MicroNode n : List.of(hq, paris)) {
            List<String> held = hashes(n);
            assertThat(held).as(n.name()).doesNotContain(rogueHash, clientHash);
            JsonObject trust = n.viewer().get("/api/cluster/trust").json();
            assertThat(trust.getJsonArray("refused").getValuesAs(JsonObject.class))
                    .anySatisfy(x -> assertThat(x.getString("map")).isEqualTo("freshet.swarms"));
            assertThat(trust.getJsonArray("strangers").toString()).as(n.name()).contains("127.0.0.1:" + rogue.clusterPort);
            assertThat(n.anonymous().get("/metrics").body()).containsPattern("freshet_grid_refused(_total)?\\{?[^}]*}? [1-9]")
                    .containsPattern("freshet_grid_strangers\\{?[^}]*}? 1");
        }
        assertThat(hashes(paris)).contains(privateHash);
        assertThat(paris.viewer().get("/api/swarms/" + privateHash).json().getBoolean("private")).isTrue();
        // the rogue member got nothing of the private swarm either
        assertThat(hashes(rogue)).doesNotContain(privateHash);
        assertThat(rogue.admin().get("/api/swarms/" + privateHash + "/torrent").status()).isEqualTo(404);
    }

    /**
     * A new cluster secret rolled through a running cluster by the nodes' secrets files, in three steps on every
     * node: accept the new one, seal with it, drop the old. Swarms published before, during and after reach the other
     * node; nothing is refused at any step; the entries sealed with the old secret are sealed again with the new.
     */
    @Test
    void aNewSecretRollsThroughARunningClusterWithoutStoppingIt() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("secret-roll-" + System.nanoTime());
        Path published = work.resolve("published");
        String old = "the-first-secret-of-this-cluster-0123456789";
        String next = "the-secret-that-replaces-it-9876543210-abcd";
        cluster.plan(work, 2);
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString())).secretsFile(old);
        MicroNode paris = cluster.node(1, "paris", Map.of()).secretsFile(old);
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris);
        String oldKey = trust(hq).getString("sealingKey");
        String before = publishAndAwait(hq, paris, Artifacts.write(published, "before-the-roll", 31, 500_000));

        for (MicroNode n : List.of(hq, paris)) {
            n.secretsFile(old, next);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> trust(hq).getJsonArray("acceptedKeys").size() == 2
                && trust(paris).getJsonArray("acceptedKeys").size() == 2);
        String during = publishAndAwait(hq, paris, Artifacts.write(published, "during-the-roll", 32, 500_000));

        for (MicroNode n : List.of(hq, paris)) {
            n.secretsFile(next, old);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !trust(hq).getString("sealingKey").equals(oldKey)
                && !trust(paris).getString("sealingKey").equals(oldKey));
        String newKey = trust(hq).getString("sealingKey");
        ClientConfig cc = new ClientConfig().setClusterName(cluster.clusterName());
        cc.getNetworkConfig().addAddress("127.0.0.1:" + hq.clusterPort);
        client = HazelcastClient.newHazelcastClient(cc);
        IMap<String, String> swarms = client.getMap("freshet.swarms");
        // sealed again within a minute (every 30 s while two secrets are accepted)
        await().atMost(Duration.ofSeconds(75)).until(() -> swarms.values().stream()
                .allMatch(v -> v.startsWith("fs1." + newKey + ".")));

        for (MicroNode n : List.of(hq, paris)) {
            n.secretsFile(next);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> trust(hq).getJsonArray("acceptedKeys").size() == 1
                && trust(paris).getJsonArray("acceptedKeys").size() == 1);
        String after = publishAndAwait(hq, paris, Artifacts.write(published, "after-the-roll", 33, 500_000));
        Thread.sleep(4000);
        for (MicroNode n : List.of(hq, paris)) {
            assertThat(hashes(n)).as(n.name()).contains(before, during, after);
            assertThat(trust(n).getJsonArray("refused")).as(n.name() + " refused nothing during the roll").isEmpty();
            assertThat(trust(n).getJsonArray("strangers")).isEmpty();
            assertThat(n.viewer().get("/api/cluster").json().getJsonArray("members")).hasSize(2);
        }
    }

    private static JsonObject trust(MicroNode n) throws Exception {
        return n.viewer().get("/api/cluster/trust").json();
    }

    private static String publishAndAwait(MicroNode from, MicroNode to, Path artifact) throws Exception {
        Api.Reply r = from.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"all\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String hash = r.json().getString("infoHash");
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(to, hash));
        return hash;
    }

    private static List<String> hashes(MicroNode n) throws Exception {
        return n.admin().get("/api/swarms").array().getValuesAs(JsonObject.class).stream()
                .map(s -> s.getString("infoHash")).toList();
    }

    private static boolean complete(MicroNode n, String hash) throws Exception {
        Api.Reply r = n.admin().get("/api/swarms/" + hash);
        return r.status() == 200 && r.json().getJsonNumber("progress").doubleValue() >= 1.0;
    }

    private static int status(MicroNode n, String method, String path, String authorization) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }
}

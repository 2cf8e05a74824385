package dev.freshet.it;

import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.Metainfo;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Policies decide which nodes fetch a swarm, also for a node that joins later; bad input is refused with a
 * clear problem document and damages nothing stored before.
 */
class ClusterPoliciesIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void policiesReachTheRightNodesAndBadInputIsRefused() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("policies-" + System.nanoTime());
        Path published = work.resolve("published");
        Path everyone = Artifacts.write(published, "for-everyone", 11, 3_000_001, 5_000);
        Path hqOnly = Artifacts.write(published, "hq-only", 12, 2_000_000);
        Path asked = Artifacts.write(published, "on-demand", 13, 1_500_000);
        Files.writeString(work.resolve("secret.txt"), "not for publishing");
        cluster.plan(work, 3);
        Map<String, String> roots = Map.of("freshet.publish.roots", published.toString());
        MicroNode hq = cluster.node(0, "hq", roots);
        MicroNode paris = cluster.node(1, "paris", Map.of());
        MicroNode late = cluster.node(2, "hq", Map.of());
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris);

        String all = publish(hq, everyone, "all");
        String hqPolicy = publish(hq, hqOnly, "offices:hq");
        String onDemand = publish(hq, asked, "on-demand");

        long t0 = System.nanoTime();
        late.start().awaitReady(Duration.ofSeconds(180));
        System.out.printf("TIME a node joining a running cluster, until ready %.1f s%n", (System.nanoTime() - t0) / 1e9);
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(late, all) && complete(late, hqPolicy));
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(paris, all));
        assertThat(Artifacts.digests(late.downloaded("for-everyone"))).isEqualTo(Artifacts.digests(everyone));
        assertThat(Artifacts.digests(late.downloaded("hq-only"))).isEqualTo(Artifacts.digests(hqOnly));
        Thread.sleep(4000); // two more reconciliation rounds: whatever paris or late would fetch, they would have begun
        assertThat(held(paris)).contains(all).doesNotContain(hqPolicy, onDemand);
        assertThat(held(late)).contains(all, hqPolicy).doesNotContain(onDemand);

        // on demand: asked through its API with the magnet link, paris fetches it; the metainfo comes from the cluster
        String magnet = hq.admin().get("/api/swarms/" + onDemand + "/magnet").json().getString("magnet");
        Api.Reply add = paris.admin().postJson("/api/swarms", "{\"magnet\":\"" + magnet + "\"}");
        assertThat(add.status()).as(add.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(paris, onDemand));
        assertThat(Artifacts.digests(paris.downloaded("on-demand"))).isEqualTo(Artifacts.digests(asked));
        // a magnet link of a swarm outside the cluster, seeded by a lone engine process (the command line):
        // the node fetches the metadata from the peer the link names (BEP 9), then the data
        Path outside = Artifacts.write(work.resolve("outside"), "outside", 14, 4_000_000, 77);
        Metainfo outsideTorrent = new TorrentCreator().pieceLength(16 * 1024).create(outside);
        Path torrentFile = work.resolve("outside.torrent");
        Files.write(torrentFile, outsideTorrent.toBytes());
        int seedPort = cluster.freePort();
        Path seedLog = work.resolve("outside-seed.log");
        Process seed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                MicroCluster.existing("freshet.engineJar").toString(), "seed", torrentFile.toString(), "--dir",
                work.resolve("outside").toString(), "--bind", "127.0.0.1", "--port", Integer.toString(seedPort),
                "--no-announce").redirectErrorStream(true).redirectOutput(seedLog.toFile()).start();
        cluster.track(seed);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(seedLog) && Files.readString(seedLog).contains("started"));
        String outsideHash = outsideTorrent.infoHash().hex();
        Api.Reply viaMagnet = late.admin().postJson("/api/swarms", "{\"magnet\":\"magnet:?xt=urn:btih:" + outsideHash
                + "&dn=outside&x.pe=127.0.0.1:" + seedPort + "\"}");
        assertThat(viaMagnet.status()).as(viaMagnet.body()).isEqualTo(201);
        assertThat(viaMagnet.json().getString("policy")).isEqualTo("on-demand");
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(late, outsideHash));
        assertThat(Artifacts.digests(late.downloaded("outside"))).isEqualTo(Artifacts.digests(outside));
        // a magnet naming only a peer that does not answer: a clear 404, nothing added
        Api.Reply nobody = paris.admin().postJson("/api/swarms", "{\"magnet\":\"magnet:?xt=urn:btih:" + "9".repeat(40)
                + "&x.pe=127.0.0.1:1\"}");
        assertProblem(nobody, 404, "could not be fetched");

        // a client breaking the protocol on a node's peer port is disconnected; the node serves on (below)
        assertDisconnected(hq, "GET / HTTP/1.1\r\n\r\n".repeat(10).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.nio.ByteBuffer hs = java.nio.ByteBuffer.allocate(dev.freshet.engine.wire.Handshake.LENGTH + 4);
        dev.freshet.engine.wire.Handshake.ours(dev.freshet.engine.metainfo.InfoHash.fromHex(all),
                dev.freshet.engine.wire.PeerId.generate(new java.util.Random(9))).encode(hs);
        hs.putInt(64 << 20); // then a message claiming 64 MiB
        assertDisconnected(hq, hs.array());

        // a client outside the cluster with just the .torrent: its trackers are the nodes (BEP 12), which
        // name the holders; the engine's command line stands in for the client here
        byte[] everyoneTorrent = hq.admin().getBytes("/api/swarms/" + all + "/torrent");
        assertThat(Metainfo.parse(everyoneTorrent).trackerTiers()).hasSizeGreaterThanOrEqualTo(2) // hq and paris at publication
                .first().isEqualTo(java.util.List.of("http://127.0.0.1:" + hq.httpPort + "/announce"));
        Path clientTorrent = work.resolve("for-everyone.torrent");
        Files.write(clientTorrent, everyoneTorrent);
        Path clientLog = work.resolve("client.log");
        Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                MicroCluster.existing("freshet.engineJar").toString(), "download", clientTorrent.toString(), "--dir",
                work.resolve("client").toString(), "--bind", "127.0.0.1", "--port", Integer.toString(cluster.freePort()),
                "--exit-on-complete").redirectErrorStream(true).redirectOutput(clientLog.toFile()).start();
        cluster.track(client);
        assertThat(client.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("the client finished").isTrue();
        assertThat(Files.readString(clientLog)).contains("complete");
        assertThat(Artifacts.digests(work.resolve("client/for-everyone"))).isEqualTo(Artifacts.digests(everyone));

        // any node serves the .torrent of any published swarm, also one it does not hold
        assertThat(late.admin().getBytes("/api/swarms/" + onDemand + "/torrent"))
                .isEqualTo(hq.admin().getBytes("/api/swarms/" + onDemand + "/torrent"));
        // the cluster view shows every member, its office and what it holds
        JsonObject view = late.viewer().get("/api/cluster").json();
        assertThat(view.getJsonArray("members")).hasSize(3);
        assertThat(view.getJsonArray("offices").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString).containsExactly("hq", "paris");

        privateSwarmServesOnlyMembersAndKeyHolders(hq, paris, late, Artifacts.write(published, "private", 15, 1_200_000));

        // bad input, each refused with a message, nothing stored before is touched
        Map<String, String> before = Artifacts.digests(everyone);
        int swarmsBefore = hq.admin().get("/api/swarms").array().size();
        Api.Reply malformed = hq.admin().postBytes("/api/swarms", "application/x-bittorrent",
                "d8:announce3:abc4:infod6:lengthi-5eee".getBytes());
        assertProblem(malformed, 400, "torrent");
        Api.Reply garbage = hq.admin().postBytes("/api/swarms", "application/x-bittorrent", new byte[] {'d', '9', ':'});
        assertProblem(garbage, 400, "torrent");
        assertProblem(hq.admin().postJson("/api/swarms", "{\"path\":\"" + work.resolve("secret.txt") + "\"}"), 403,
                "outside the publish roots");
        assertProblem(hq.admin().postJson("/api/swarms", "{\"path\":\"" + published + "/../secret.txt\"}"), 403,
                "outside the publish roots");
        assertProblem(hq.admin().postJson("/api/swarms", "{\"path\":\"" + published + "/missing\"}"), 400,
                "does not exist");
        assertProblem(hq.admin().postJson("/api/swarms", "{\"path\":\"" + everyone + "\",\"policy\":\"some\"}"), 400,
                "policy");
        assertProblem(hq.admin().postJson("/api/swarms", "{\"path\": 12"), 400, "JSON");
        String unknown = "0123456789abcdef0123456789abcdef01234567";
        assertProblem(hq.admin().get("/api/swarms/" + unknown), 404, unknown);
        assertProblem(hq.admin().post("/api/swarms/" + unknown + "/pause"), 404, unknown);
        assertProblem(hq.admin().delete("/api/swarms/" + unknown), 404, unknown);
        assertProblem(hq.admin().get("/api/swarms/" + unknown + "/torrent"), 404, unknown);
        assertProblem(hq.admin().postJson("/api/swarms", "{\"magnet\":\"magnet:?xt=urn:btih:" + unknown + "\"}"), 404,
                unknown);
        // publishing the same content again is a conflict, not a second copy
        assertProblem(hq.admin().postJson("/api/swarms", "{\"path\":\"" + everyone + "\",\"policy\":\"all\"}"), 409,
                "already holds");
        assertThat(hq.admin().get("/api/swarms").array()).hasSize(swarmsBefore);
        assertThat(complete(hq, all)).isTrue();
        assertThat(Artifacts.digests(everyone)).isEqualTo(before);
        assertThat(Artifacts.digests(late.downloaded("for-everyone"))).isEqualTo(before);

        officesShowTheirWanAndKeepTheirBudgets(hq, paris, late, all);
    }

    /**
     * Issue 12: {@code /api/offices} shows what crossed each office's link per swarm; a WAN budget is set once for the
     * cluster, refused with a message when it makes no sense, taken up by the office's node as its share, and kept
     * when every node of the cluster has stopped.
     */
    private void officesShowTheirWanAndKeepTheirBudgets(MicroNode hq, MicroNode paris, MicroNode late, String all)
            throws Exception {
        JsonObject offices = late.viewer().get("/api/offices").json();
        assertThat(offices.getString("localOffice")).isEqualTo("hq");
        assertThat(offices.getJsonArray("offices").getValuesAs(JsonObject.class)).extracting(o -> o.getString("name"))
                .containsExactly("hq", "paris");
        JsonObject everyone = offices.getJsonArray("swarms").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("infoHash").equals(all)).findFirst().orElseThrow();
        JsonObject inParis = everyone.getJsonArray("offices").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("office").equals("paris")).findFirst().orElseThrow();
        // paris's one node took every piece across its link from hq's nodes, each about once
        assertThat(inParis.getJsonNumber("wanInPerSize").doubleValue()).isBetween(0.95, 1.3);
        assertThat(inParis.getInt("complete")).isEqualTo(1);
        assertThat(everyone.getString("publisherOffice")).isEqualTo("hq");

        assertThat(paris.viewer().putJson("/api/offices/paris/budget", "{\"inLimit\": 1250000}").status())
                .isEqualTo(403);
        Api.Reply set = paris.admin().putJson("/api/offices/paris/budget", "{\"inLimit\": 1250000, \"outLimit\": 0}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().getJsonNumber("inLimit").longValue()).isEqualTo(1_250_000);
        assertProblem(hq.admin().putJson("/api/offices/pa%20ris/budget", "{\"inLimit\": 1250000}"), 400, "office name");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"inLimit\": -5}"), 400, "'inLimit' must be 0");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"outLimit\": 1e30}"), 400, "outLimit");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"inLimit\": \"fast\"}"), 400, "number");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"inLimt\": 5000000}"), 400, "unknown field");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"inLimit\": 10}"), 400, "16384");
        assertThat(hq.viewer().get("/api/offices/paris/budget").json().getJsonNumber("inLimit").longValue())
                .as("refused changes change nothing").isEqualTo(1_250_000);
        // paris's only node takes the whole budget as its share
        await().atMost(Duration.ofSeconds(20)).until(() -> late.viewer().get("/api/offices").json()
                .getJsonArray("offices").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("name").equals("paris")).flatMap(o -> o.getJsonArray("nodes")
                        .getValuesAs(JsonObject.class).stream())
                .anyMatch(n -> n.getJsonNumber("inShare").longValue() == 1_250_000));

        metricsCarryTheOfficesAndEveryQueryOfTheDashboard(paris, all);

        // a weekly schedule in the office's zone: here one window over the whole week caps paris at 1 MB/s in, and
        // the budget's own 1.25 MB/s holds outside its windows (none here)
        String window = "{\"days\": \"MON-SUN\", \"from\": \"00:00\", \"to\": \"24:00\", \"inLimit\": 1000000}";
        Api.Reply scheduled = paris.admin().putJson("/api/offices/paris/budget", "{\"inLimit\": 1250000, "
                + "\"timeZone\": \"Europe/Paris\", \"schedule\": [" + window + "]}");
        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(200);
        assertThat(scheduled.json().getString("timeZone")).isEqualTo("Europe/Paris");
        assertThat(scheduled.json().getJsonNumber("inLimitNow").longValue()).isEqualTo(1_000_000);
        assertThat(scheduled.json().getJsonArray("schedule").getJsonObject(0).getString("days"))
                .isEqualTo("MON,TUE,WED,THU,FRI,SAT,SUN");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"schedule\": [" + window.replace("MON-SUN",
                "MON-FRY") + "]}"), 400, "'FRY' is not a day");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"timeZone\": \"Mars/Olympus\", \"schedule\": ["
                + window + "]}"), 400, "not a time zone");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"schedule\": [" + window.replace("from",
                "start") + "]}"), 400, "unknown field 'start'");
        assertProblem(hq.admin().putJson("/api/offices/paris/budget", "{\"schedule\": [" + window + ", {\"days\": "
                + "\"WED\", \"from\": \"12:00\", \"to\": \"13:00\", \"inLimit\": 125000}]}"), 400, "both cover WED 12:00");
        await().atMost(Duration.ofSeconds(20)).until(() -> late.viewer().get("/api/offices").json()
                .getJsonArray("offices").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("name").equals("paris")).flatMap(o -> o.getJsonArray("nodes")
                        .getValuesAs(JsonObject.class).stream())
                .anyMatch(n -> n.getJsonNumber("inShare").longValue() == 1_000_000));

        // every node keeps the cluster's budgets (copied within 10 s): the whole cluster stops, one hq node starts
        Thread.sleep(12_000);
        hq.kill();
        paris.kill();
        late.kill();
        late.start().awaitReady(Duration.ofSeconds(180));
        JsonObject kept = late.viewer().get("/api/offices/paris/budget").json();
        assertThat(kept.getJsonNumber("inLimit").longValue()).isEqualTo(1_250_000);
        assertThat(kept.getJsonNumber("outLimit").longValue()).isZero();
        assertThat(kept.getJsonArray("schedule")).hasSize(1);
        assertThat(kept.getJsonNumber("inLimitNow").longValue()).isEqualTo(1_000_000);
    }

    /**
     * BEP 27: a private swarm reaches the members; the trackers answer only announces carrying its key, and
     * the peer port takes only members and clients that announced with the key. Outside clients speak from
     * other loopback addresses (127.0.0.66, 127.0.0.77) so that the node can tell them from its members.
     */
    private void privateSwarmServesOnlyMembersAndKeyHolders(MicroNode hq, MicroNode paris, MicroNode late, Path artifact)
            throws Exception {
        Api.Reply r = hq.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"all\","
                + "\"private\":true,\"pieceLength\":65536}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().getBoolean("private")).isTrue();
        assertThat(r.json().getInt("pieceLength")).isEqualTo(65536);
        String hash = r.json().getString("infoHash");
        Metainfo torrent = Metainfo.parse(hq.admin().getBytes("/api/swarms/" + hash + "/torrent"));
        assertThat(torrent.info().isPrivate()).isTrue();
        java.util.List<String> urls = torrent.trackerTiers().stream().flatMap(java.util.List::stream).toList();
        assertThat(urls).isNotEmpty().allMatch(u -> u.matches("http://127\\.0\\.0\\.1:\\d+/announce\\?auth=[0-9a-f]{32}"));
        String key = urls.get(0).substring(urls.get(0).indexOf("auth=") + 5);
        assertThat(urls).allMatch(u -> u.endsWith("auth=" + key));
        assertThat(hq.admin().get("/api/swarms/" + hash + "/magnet").json().getString("magnet")).contains("auth%3D" + key);

        // the members fetch it (policy all): they are admitted as the cluster directory names them
        await().atMost(Duration.ofSeconds(60)).until(() -> complete(paris, hash) && complete(late, hash));
        assertThat(Artifacts.digests(paris.downloaded("private"))).isEqualTo(Artifacts.digests(artifact));

        // the tracker: no key or a wrong key is refused; the key is answered with the members
        String q = "info_hash=" + percent(torrent.infoHash().bytes()) + "&peer_id=-XX0001-123456789012&left=1000";
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.77"))) {
            String announce = "/announce?" + q + "&port=" + listening.getLocalPort();
            assertThat(trackerFrom("127.0.0.77", hq, announce).string("failure reason").orElseThrow().utf8())
                    .contains("private");
            assertThat(trackerFrom("127.0.0.77", paris, announce + "&auth=" + "0".repeat(32)).has("failure reason")).isTrue();
            assertThat(peerAnswersFrom("127.0.0.77", hq, torrent.infoHash())).as("not announced yet").isFalse();
            dev.freshet.engine.bencode.BValue.BDictionary ok = trackerFrom("127.0.0.77", paris, "/announce?auth=" + key
                    + "&" + q + "&port=" + listening.getLocalPort() + "&event=started");
            assertThat(ok.has("failure reason")).as(ok.toString()).isFalse();
            assertThat(ok.string("peers").orElseThrow().length()).as("hq, paris and late hold it").isEqualTo(3 * 6);
            // scrape: listed only with the key
            assertThat(trackerFrom("127.0.0.77", hq, "/scrape?" + q).dictionary("files").orElseThrow().has(
                    new String(torrent.infoHash().bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))).isFalse();
            assertThat(trackerFrom("127.0.0.77", hq, "/scrape?auth=" + key + "&" + q).dictionary("files").orElseThrow()
                    .has(new String(torrent.infoHash().bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))).isTrue();
            // the peer port: the client that announced with the key is taken (once the node heard of it), a stranger is not
            await().atMost(Duration.ofSeconds(20)).until(() -> peerAnswersFrom("127.0.0.77", hq, torrent.infoHash()));
            assertThat(peerAnswersFrom("127.0.0.66", hq, torrent.infoHash())).isFalse();
            assertThat(peerAnswersFrom("127.0.0.66", paris, torrent.infoHash())).isFalse();
        }
    }

    private static String percent(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%%%02X", x & 0xff));
        }
        return b.toString();
    }

    /** A tracker request over a raw socket from {@code from}, so that the node sees that address. */
    private static dev.freshet.engine.bencode.BValue.BDictionary trackerFrom(String from, MicroNode node, String path)
            throws Exception {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), node.httpPort,
                java.net.InetAddress.getByName(from), 0)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String head = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
            int body = head.indexOf("\r\n\r\n") + 4;
            assertThat(head).startsWith("HTTP/1.1 200");
            return (dev.freshet.engine.bencode.BValue.BDictionary) dev.freshet.engine.bencode.Bencode.decode(
                    java.util.Arrays.copyOfRange(all, body, all.length));
        }
    }

    /** True when the node answers a handshake for {@code hash} on its peer port from {@code from}. */
    private static boolean peerAnswersFrom(String from, MicroNode node, dev.freshet.engine.metainfo.InfoHash hash)
            throws Exception {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), node.peerPort,
                java.net.InetAddress.getByName(from), 0)) {
            s.setSoTimeout(15_000);
            java.nio.ByteBuffer hs = java.nio.ByteBuffer.allocate(dev.freshet.engine.wire.Handshake.LENGTH);
            dev.freshet.engine.wire.Handshake.ours(hash, dev.freshet.engine.wire.PeerId.generate(new java.util.Random()))
                    .encode(hs);
            s.getOutputStream().write(hs.array());
            try {
                return s.getInputStream().read() == 19; // the first byte of the node's handshake
            } catch (java.net.SocketException reset) {
                return false;
            }
        }
    }

    /** Sends {@code bytes} to the node's peer port and expects the node to close the connection. */
    private static void assertDisconnected(MicroNode node, byte[] bytes) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.peerPort)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(bytes);
            java.io.InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // the node's handshake, perhaps a bitfield: read until it closes
                }
            } catch (java.net.SocketException reset) {
                // closed with a reset: also a disconnection
            }
        }
    }

    /**
     * Issue 17: {@code /metrics} (Prometheus text, no credentials) carries bytes by class of peer and, from the
     * directory, each office's budget and each swarm's WAN bytes ÷ size per office; and every metric a query of the
     * Grafana dashboard in the repository names is one the node exports.
     */
    private static void metricsCarryTheOfficesAndEveryQueryOfTheDashboard(MicroNode paris, String all) throws Exception {
        String[] scrape = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            scrape[0] = paris.anonymous().get("/metrics").body();
            return scrape[0].contains("freshet_office_budget_in_bytes{mp_scope=\"application\",office=\"paris\"} 1250000");
        });
        String text = scrape[0];
        java.util.regex.Matcher fromOtherOffices = java.util.regex.Pattern.compile(
                "freshet_received_bytes\\{[^}]*peer_class=\"other-office\"[^}]*} ([0-9.E]+)").matcher(text);
        assertThat(fromOtherOffices.find()).as(text).isTrue();
        assertThat(Double.parseDouble(fromOtherOffices.group(1))).as("paris took the swarm from hq's nodes").isPositive();
        assertThat(text).containsPattern("freshet_swarm_wan_in_per_size\\{[^}]*office=\"paris\"[^}]*swarm=\"" + all + "\"");
        Set<String> exported = text.lines().filter(l -> l.startsWith("freshet_"))
                .map(l -> l.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
        String dashboard = Files.readString(Path.of("..", "src", "dashboards", "freshet.json"));
        JsonObject d = jakarta.json.Json.createReader(new java.io.StringReader(dashboard)).readObject();
        Set<String> queried = new java.util.TreeSet<>();
        for (JsonObject panel : d.getJsonArray("panels").getValuesAs(JsonObject.class)) {
            assertThat(panel.getJsonArray("targets")).as(panel.getString("title")).isNotEmpty();
            for (JsonObject target : panel.getJsonArray("targets").getValuesAs(JsonObject.class)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("freshet_[a-z_]+")
                        .matcher(target.getString("expr"));
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(exported).as("every metric the dashboard queries").containsAll(queried);
    }

    private static String publish(MicroNode node, Path path, String policy) throws Exception {
        Api.Reply r = node.admin().postJson("/api/swarms", "{\"path\":\"" + path + "\",\"policy\":\"" + policy + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().getString("policy")).isEqualTo(policy);
        return r.json().getString("infoHash");
    }

    private static boolean complete(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 && r.json().getJsonNumber("progress").doubleValue() == 1.0;
    }

    private static Set<String> held(MicroNode node) throws Exception {
        return node.admin().get("/api/swarms").array().getValuesAs(JsonObject.class).stream()
                .map(o -> o.getString("infoHash")).collect(Collectors.toSet());
    }

    private static void assertProblem(Api.Reply r, int status, String mentions) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().getString("detail")).containsIgnoringCase(mentions);
        assertThat(r.json().getInt("status")).isEqualTo(status);
    }
}

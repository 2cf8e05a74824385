package dev.freshet.web;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.Bencode;
import dev.freshet.engine.metainfo.Metainfo;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The swarm API and the catalog behind it, on one node: publish, read, pause, resume, remove, settings. */
@ExtendWith(ArquillianExtension.class)
class SwarmApiIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void anUploadIsPublishedAndItsSwarmReadPausedResumedAndRemoved() throws Exception {
        byte[] content = new byte[700_001];
        new Random(7).nextBytes(content);
        String boundary = "----freshet" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\non-demand\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload-"
                + UUID.randomUUID() + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = Http.call(base, "POST", "/api/swarms", "admin", Http.ADMIN,
                "multipart/form-data; boundary=" + boundary, body.toByteArray());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject swarm = json(created.body());
        String hash = swarm.getString("infoHash");
        assertThat(hash).matches("[0-9a-f]{40}");
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/swarms/" + hash));
        assertThat(swarm.getString("policy")).isEqualTo("on-demand");
        assertThat(swarm.getJsonNumber("size").longValue()).isEqualTo(content.length);
        assertThat(swarm.getJsonNumber("progress").doubleValue()).isEqualTo(1.0);
        assertThat(swarm.getString("state")).isEqualTo("seeding");
        for (String field : new String[] {"name", "pieces", "downloadRate", "uploadRate", "peers", "savePath", "magnet"}) {
            assertThat(swarm.containsKey(field)).as(field).isTrue();
        }
        Path saved = Path.of(swarm.getString("savePath")).resolve(swarm.getString("name"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(content);

        // the list and the single swarm agree; the .torrent is a real one with the same info-hash
        JsonArray list = array(Http.admin(base, "GET", "/api/swarms", null, null).body());
        assertThat(list.getValuesAs(JsonObject.class)).anyMatch(o -> o.getString("infoHash").equals(hash));
        HttpResponse<byte[]> torrent = Http.adminBytes(base, "/api/swarms/" + hash + "/torrent");
        assertThat(torrent.headers().firstValue("Content-Type")).hasValue("application/x-bittorrent");
        Metainfo m = Metainfo.parse(torrent.body());
        assertThat(m.infoHash().hex()).isEqualTo(hash);
        assertThat(m.info().totalLength()).isEqualTo(content.length);
        HttpResponse<String> magnet = Http.call(base, "GET", "/api/swarms/" + hash.toUpperCase() + "/magnet", "viewer",
                Http.VIEWER, null, null);
        assertThat(json(magnet.body()).getString("magnet")).startsWith("magnet:?xt=urn:btih:" + hash);

        // pause and resume are kept in the catalog and shown
        assertThat(json(Http.admin(base, "POST", "/api/swarms/" + hash + "/pause", null, null).body())
                .getString("state")).isEqualTo("paused");
        assertThat(json(Http.admin(base, "GET", "/api/swarms/" + hash, null, null).body()).getString("state"))
                .isEqualTo("paused");
        await().until(() -> json(Http.admin(base, "POST", "/api/swarms/" + hash + "/resume", null, null).body())
                .getString("state").equals("seeding"));

        // adding the same swarm again as a .torrent is a conflict
        HttpResponse<String> again = Http.call(base, "POST", "/api/swarms", "admin", Http.ADMIN,
                "application/x-bittorrent", torrent.body());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        // removed (data kept): gone from the API, the file stays
        assertThat(Http.admin(base, "DELETE", "/api/swarms/" + hash, null, null).statusCode()).isEqualTo(204);
        assertThat(Http.admin(base, "GET", "/api/swarms/" + hash, null, null).statusCode()).isEqualTo(404);
        assertThat(Files.exists(saved)).isTrue();
        // added again from its .torrent: the data is found, checked, and the swarm seeds without a peer
        HttpResponse<String> readded = Http.call(base, "POST", "/api/swarms?policy=on-demand", "admin", Http.ADMIN,
                "application/x-bittorrent", torrent.body());
        assertThat(readded.statusCode()).as(readded.body()).isEqualTo(201);
        await().until(() -> json(Http.admin(base, "GET", "/api/swarms/" + hash, null, null).body())
                .getJsonNumber("progress").doubleValue() == 1.0);
        // removed with its data
        assertThat(Http.admin(base, "DELETE", "/api/swarms/" + hash + "?deleteData=true", null, null).statusCode())
                .isEqualTo(204);
        assertThat(Files.exists(saved)).isFalse();
    }

    @Test
    void aPublishedServerPathGetsTheTorrentItsContentDeserves() throws Exception {
        Path root = Path.of(System.getProperty("arq.dir"), "published", "dir-" + UUID.randomUUID());
        Files.createDirectories(root.resolve("a/b"));
        Files.write(root.resolve("a/b/one.bin"), new byte[300_000]);
        Files.writeString(root.resolve("two.txt"), "two");
        HttpResponse<String> r = Http.admin(base, "POST", "/api/swarms", "application/json",
                "{\"path\":\"" + root + "\",\"policy\":\"offices:paris,berlin\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject swarm = json(r.body());
        assertThat(swarm.getString("policy")).isEqualTo("offices:berlin,paris");
        assertThat(swarm.getJsonNumber("size").longValue()).isEqualTo(300_003);
        Metainfo m = Metainfo.parse(Http.adminBytes(base, "/api/swarms/" + swarm.getString("infoHash") + "/torrent").body());
        String name = root.getFileName().toString();
        assertThat(m.info().name()).isEqualTo(name);
        assertThat(m.info().files()).extracting(f -> String.join("/", f.path()))
                .containsExactly(name + "/a/b/one.bin", name + "/two.txt");
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(m.info().raw());
        assertThat(HexFormat.of().formatHex(sha1)).isEqualTo(swarm.getString("infoHash"));
    }

    @Test
    void publishingOptionsPerFileProgressAndTheEventStream() throws Exception {
        Path root = Path.of(System.getProperty("arq.dir"), "published", "opts-" + UUID.randomUUID());
        Files.createDirectories(root.resolve("a"));
        Files.write(root.resolve("a/one.bin"), new byte[100_000]);
        Files.write(root.resolve("two.bin"), new byte[50_000]);
        HttpResponse<String> r = Http.admin(base, "POST", "/api/swarms", "application/json",
                "{\"path\":\"" + root + "\",\"private\":true,\"pieceLength\":32768}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject swarm = json(r.body());
        String hash = swarm.getString("infoHash");
        assertThat(swarm.getBoolean("private")).isTrue();
        assertThat(swarm.getInt("pieceLength")).isEqualTo(32768);
        assertThat(swarm.getInt("pieces")).isEqualTo(5);
        String name = root.getFileName().toString();
        assertThat(swarm.getJsonArray("files").getValuesAs(JsonObject.class))
                .extracting(f -> f.getString("path"), f -> f.getJsonNumber("size").longValue(), f -> f.getJsonNumber("progress").doubleValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(name + "/a/one.bin", 100_000L, 1.0),
                        org.assertj.core.groups.Tuple.tuple(name + "/two.bin", 50_000L, 1.0));
        assertThat(java.util.Base64.getDecoder().decode(swarm.getString("availability"))).hasSize(5);
        assertThat(Metainfo.parse(Http.adminBytes(base, "/api/swarms/" + hash + "/torrent").body()).info().isPrivate()).isTrue();
        // the list leaves the per-piece detail out
        JsonObject listed = array(Http.admin(base, "GET", "/api/swarms", null, null).body()).getValuesAs(JsonObject.class)
                .stream().filter(o -> o.getString("infoHash").equals(hash)).findFirst().orElseThrow();
        assertThat(listed.getJsonArray("files")).isEmpty();
        assertThat(listed.containsKey("availability")).as("nulls are left out").isFalse();
        // bad options are refused before anything is hashed
        assertThat(Http.admin(base, "POST", "/api/swarms", "application/json", "{\"path\":\"" + root
                + "/two.bin\",\"pieceLength\":1000}").body()).contains("pieceLength");
        assertThat(Http.admin(base, "POST", "/api/swarms", "application/json", "{\"path\":\"" + root
                + "/two.bin\",\"pieceLength\":1000}").statusCode()).isEqualTo(400);

        // who am I; what is being hashed; rates over time
        assertThat(json(Http.call(base, "GET", "/api/me", "viewer", Http.VIEWER, null, null).body()).getBoolean("admin")).isFalse();
        assertThat(json(Http.admin(base, "GET", "/api/me", null, null).body()).getBoolean("admin")).isTrue();
        assertThat(array(Http.admin(base, "GET", "/api/publications", null, null).body())).isEmpty();
        await().until(() -> !array(Http.admin(base, "GET", "/api/rates/" + hash, null, null).body()).isEmpty());
        assertThat(array(Http.admin(base, "GET", "/api/rates", null, null).body()).getJsonArray(0)).hasSize(3);

        // server-sent events: a 'node' event naming the swarm, and the swarm itself when asked for
        java.net.http.HttpRequest events = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                base.toString().replaceAll("/$", "") + "/api/events?swarm=" + hash))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("viewer:" + Http.VIEWER)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))).build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient.newHttpClient()
                .send(events, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        // read on a thread of its own: the stream stays open while the swarm changes
        java.util.concurrent.BlockingQueue<java.util.Map.Entry<String, JsonObject>> received =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.stream.Stream<String> lines = stream.body();
        Thread reader = new Thread(() -> {
            String event = null;
            for (java.util.Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && event != null) {
                    received.add(java.util.Map.entry(event, json(line.substring(6))));
                }
            }
        }, "event-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            java.util.Map<String, JsonObject> seen = new java.util.HashMap<>();
            while (seen.size() < 2) {
                var e = received.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(e).as("events within 20 s; so far " + seen.keySet()).isNotNull();
                seen.putIfAbsent(e.getKey(), e.getValue());
            }
            // the first node event is the whole list
            assertThat(seen.get("node").getJsonArray("swarms").getValuesAs(JsonObject.class))
                    .extracting(o -> o.getString("infoHash")).contains(hash);
            assertThat(seen.get("swarm").getString("infoHash")).isEqualTo(hash);
            assertThat(seen.get("swarm").getJsonArray("files")).hasSize(2);
            // the next ones only what changed (issue 14: thousands of idle swarms cost nothing a second)
            assertThat(Http.admin(base, "POST", "/api/swarms/" + hash + "/pause", null, null).statusCode()).isEqualTo(200);
            JsonObject change = nextNode(received, n -> n.getJsonArray("changed").getValuesAs(JsonObject.class).stream()
                    .anyMatch(o -> o.getString("infoHash").equals(hash) && o.getString("state").equals("paused")));
            assertThat(change.containsKey("swarms")).as("no whole list again").isFalse();
            assertThat(change.getJsonArray("changed").getValuesAs(JsonObject.class))
                    .extracting(o -> o.getString("infoHash")).doesNotHaveDuplicates();
            assertThat(Http.admin(base, "DELETE", "/api/swarms/" + hash, null, null).statusCode()).isEqualTo(204);
            nextNode(received, n -> n.getJsonArray("removed").getValuesAs(jakarta.json.JsonString.class).stream()
                    .anyMatch(h -> h.getString().equals(hash)));
        } finally {
            lines.close();
        }
        assertThat(Http.call(base, "GET", "/api/events", null, null, null, null).statusCode()).isEqualTo(401);
    }

    /** The next {@code node} event that {@code matches} (a delta: {@code changed} and {@code removed}), within 20 s. */
    private static JsonObject nextNode(java.util.concurrent.BlockingQueue<java.util.Map.Entry<String, JsonObject>> events,
                                       java.util.function.Predicate<JsonObject> matches) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            var e = events.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (e != null && e.getKey().equals("node") && e.getValue().containsKey("changed") && matches.test(e.getValue())) {
                return e.getValue();
            }
        }
        throw new AssertionError("no such node event within 20 s");
    }

    @Test
    void theListPagesWithACursorAndFiltersByStateAndName() throws Exception {
        String tag = "pg" + UUID.randomUUID().toString().substring(0, 8);
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<String> hashes = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Path f = Path.of(System.getProperty("arq.dir"), "published", tag, tag + "-" + (char) ('g' - i) + ".bin");
            Files.createDirectories(f.getParent());
            Files.writeString(f, tag + i);
            HttpResponse<String> r = Http.admin(base, "POST", "/api/swarms", "application/json",
                    "{\"path\":\"" + f + "\",\"policy\":\"on-demand\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            names.add(f.getFileName().toString());
            hashes.add(json(r.body()).getString("infoHash"));
        }
        java.util.Collections.sort(names);
        // pages of 3 in name order, each pointing at the next, the last at none
        java.util.List<String> seen = new java.util.ArrayList<>();
        String next = "/api/swarms?limit=3&q=" + tag;
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = Http.admin(base, "GET", next, null, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            array(page.body()).getValuesAs(JsonObject.class).forEach(o -> seen.add(o.getString("name")));
            pages++;
            next = page.headers().firstValue("Link").map(l -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("<([^>]+)>; *rel=\"?next\"?").matcher(l);
                assertThat(m.find()).as(l).isTrue();
                return java.net.URI.create(m.group(1)).getRawPath() + "?" + java.net.URI.create(m.group(1)).getRawQuery();
            }).orElse(null);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names);
        // filters: by state, by the start of an info-hash
        assertThat(Http.admin(base, "POST", "/api/swarms/" + hashes.get(0) + "/pause", null, null).statusCode())
                .isEqualTo(200);
        assertThat(array(Http.admin(base, "GET", "/api/swarms?state=paused&q=" + tag, null, null).body()))
                .hasSize(1);
        assertThat(array(Http.admin(base, "GET", "/api/swarms?state=seeding&q=" + tag, null, null).body()))
                .hasSize(6);
        assertThat(array(Http.admin(base, "GET", "/api/swarms?q=" + hashes.get(3).substring(0, 12), null, null).body()))
                .extracting(v -> v.asJsonObject().getString("infoHash")).containsExactly(hashes.get(3));
        // bad input: a 400 that says what to fix
        HttpResponse<String> first = Http.admin(base, "GET", "/api/swarms?limit=3&q=" + tag, null, null);
        String link = first.headers().firstValue("Link").orElseThrow();
        String cursor = link.substring(link.indexOf("cursor=") + 7).replaceAll("[&>].*", "");
        String tampered = (cursor.charAt(0) == 'A' ? 'B' : 'A') + cursor.substring(1);
        for (String[] bad : new String[][] {{"?state=bogus", "'state' is one of"}, {"?limit=0", "'limit' is 1 to 1000"},
                {"?limit=3&cursor=" + tampered, "list again without it"}, {"?limit=3&cursor=x", "list again"},
                {"?cursor=" + cursor, "goes with the 'limit'"}}) {
            HttpResponse<String> r = Http.admin(base, "GET", "/api/swarms" + bad[0], null, null);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(r.body()).as(bad[0]).contains(bad[1]);
        }
    }

    @Test
    void theConsoleIsServedAtTheRootWithItsLibraries() throws Exception {
        URL root = new URL(base.getProtocol(), base.getHost(), base.getPort(), "/");
        HttpResponse<String> page = Http.call(root, "GET", "/", null, null, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("console/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        for (String lib : java.util.List.of("/webjars/bootstrap/5.3.3/css/bootstrap.min.css",
                "/webjars/bootstrap-icons/1.11.3/font/bootstrap-icons.min.css", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                "/console/app.js", "/console/app.css", "/console/favicon.svg")) {
            assertThat(Http.call(root, "GET", lib, null, null, null, null).statusCode()).as(lib).isEqualTo(200);
        }
        // the console's own requests get a challenge the browser does not answer with its own dialog
        java.net.http.HttpResponse<String> refused = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base.toString().replaceAll("/$", "") + "/api/swarms"))
                        .header("X-Requested-With", "XMLHttpRequest").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("FreshetBasic");
        assertThat(Http.call(base, "GET", "/api/swarms", null, null, null, null).headers()
                .firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
    }

    @Test
    void everyNodeIsATrackerForThePublishedSwarms() throws Exception {
        Path root = Path.of(System.getProperty("arq.dir"), "published", "tracked-" + UUID.randomUUID());
        Files.createDirectories(root);
        Files.write(root.resolve("t.bin"), new byte[123_457]);
        HttpResponse<String> r = Http.admin(base, "POST", "/api/swarms", "application/json", "{\"path\":\"" + root + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String hash = json(r.body()).getString("infoHash");
        // BEP 12: the torrent names this node's tracker
        Metainfo m = Metainfo.parse(Http.adminBytes(base, "/api/swarms/" + hash + "/torrent").body());
        String announce = base.toString().replaceAll("/$", "") + "/announce";
        assertThat(m.trackerTiers()).isNotEmpty();
        assertThat(m.trackerTiers().get(0)).containsExactly(announce);

        String infoHash = percent(HexFormat.of().parseHex(hash));
        String peerId = percent("-XX0001-abcdefghijkl".getBytes(StandardCharsets.ISO_8859_1));
        // no credentials needed: any BitTorrent client may announce
        BValue.BDictionary first = tracker("/announce?info_hash=" + infoHash + "&peer_id=" + peerId
                + "&port=6999&uploaded=0&downloaded=0&left=123457&compact=1&event=started");
        assertThat(first.get("failure reason")).isEmpty();
        assertThat(((BValue.BInteger) first.get("complete").orElseThrow()).value()).isEqualTo(1); // this node seeds
        byte[] peers = ((BValue.BString) first.get("peers").orElseThrow()).bytes();
        assertThat(peers.length % 6).isZero();
        assertThat(peers.length / 6).isGreaterThanOrEqualTo(1);
        // a second client learns of the first
        BValue.BDictionary second = tracker("/announce?info_hash=" + infoHash + "&peer_id=" + peerId
                + "&port=7000&left=5&numwant=10");
        byte[] seen = ((BValue.BString) second.get("peers").orElseThrow()).bytes();
        boolean firstListed = false;
        for (int i = 0; i < seen.length; i += 6) {
            firstListed |= ((seen[i + 4] & 0xff) << 8 | (seen[i + 5] & 0xff)) == 6999;
        }
        assertThat(firstListed).isTrue();
        assertThat(((BValue.BInteger) second.get("incomplete").orElseThrow()).value()).isEqualTo(2);
        // BEP 48 scrape
        BValue.BDictionary scrape = tracker("/scrape?info_hash=" + infoHash);
        BValue.BDictionary files = (BValue.BDictionary) scrape.get("files").orElseThrow();
        assertThat(files.entries()).hasSize(1);
        // refusals are bencoded failure reasons
        // a swarm the cluster does not hold is tracked too: its first client hears of no one
        String unknown = percent(new byte[20]);
        BValue.BDictionary lone = tracker("/announce?info_hash=" + unknown + "&peer_id=" + peerId + "&port=1&left=0");
        assertThat(((BValue.BString) lone.get("peers").orElseThrow()).bytes()).isEmpty();
        assertThat(tracker("/announce?info_hash=" + unknown + "&peer_id=" + peerId + "&port=0&left=0")
                .get("failure reason")).hasValueSatisfying(v -> assertThat(new String(((BValue.BString) v).bytes()))
                .contains("port"));
        assertThat(tracker("/announce?info_hash=abc&peer_id=" + peerId + "&port=1&left=0").get("failure reason")).isPresent();
        assertThat(tracker("/announce").get("failure reason")).isPresent();
    }

    private BValue.BDictionary tracker(String pathAndQuery) throws Exception {
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base.toString().replaceAll("/$", "") + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return (BValue.BDictionary) Bencode.decode(r.body());
    }

    private static String percent(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append('%').append(String.format("%02X", x & 0xff));
        }
        return b.toString();
    }

    @Test
    void settingsAreValidatedAndKept() throws Exception {
        HttpResponse<String> bad = Http.admin(base, "PUT", "/api/settings", "application/json",
                "{\"downloadLimit\":-5,\"uploadLimit\":0}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad.body()).getString("detail")).contains("bytes per second");
        HttpResponse<String> ok = Http.admin(base, "PUT", "/api/settings", "application/json",
                "{\"downloadLimit\":1048576,\"uploadLimit\":2097152}");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonObject now = json(Http.admin(base, "GET", "/api/settings", null, null).body());
        assertThat(now.getJsonNumber("downloadLimit").longValue()).isEqualTo(1048576);
        assertThat(now.getJsonNumber("uploadLimit").longValue()).isEqualTo(2097152);
        Http.admin(base, "PUT", "/api/settings", "application/json", "{\"downloadLimit\":0,\"uploadLimit\":0}");
    }

    @Test
    void openApiHealthAndMetricsAreServed() throws Exception {
        URL root = new URL(base.getProtocol(), base.getHost(), base.getPort(), "/");
        HttpResponse<String> openapi = Http.call(root, "GET", "/openapi", null, null, null, null);
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/swarms").contains("/api/cluster").contains("/api/settings");
        HttpResponse<String> health = Http.call(root, "GET", "/health/ready", null, null, null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("freshet-engine").contains("UP");
        HttpResponse<String> metrics = Http.call(root, "GET", "/metrics", null, null, null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("freshet_swarms").contains("freshet_upload_rate");
    }

    private static JsonObject json(String s) {
        try (var r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }

    private static JsonArray array(String s) {
        try (var r = Json.createReader(new StringReader(s))) {
            return r.readArray();
        }
    }
}

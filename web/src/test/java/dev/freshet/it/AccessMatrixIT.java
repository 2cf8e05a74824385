package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: who may call what, as one table: every endpoint × {no credentials, a wrong password, a malformed token,
 * viewer, publisher (token), admin (password), admin (token, created on another node), an expired token, a revoked
 * token, a publisher token of another office}, a publisher steering its own swarm and another's. Then the audit log:
 * one entry for each changing call that reached the API, one for each refusal, none for reads; and every entry in
 * the other node's log as well.
 */
class AccessMatrixIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] WHO = {"none", "wrong", "malformed", "viewer", "publisher", "admin", "adminToken",
            "expired", "revoked", "otherOffice"};

    /** One row: a call and the status each of {@link #WHO} gets. */
    record Row(String method, String path, String body, int... expected) {
    }

    @Test
    void everyEndpointForEveryKindOfCaller() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("access-" + System.nanoTime());
        Path published = work.resolve("published");
        Path artifact = Artifacts.write(published, "matrix", 41, 300_000);
        cluster.plan(work, 2);
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString()));
        MicroNode paris = cluster.node(1, "paris", Map.of());
        MicroCluster.startAll(Duration.ofSeconds(240), hq, paris);
        Api.Reply pub = hq.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"offices:hq\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");

        // tokens are created on paris and used on hq: the cluster keeps them
        String publisher = token(paris, "{\"name\":\"ci publisher\",\"role\":\"publisher\"}");
        String adminToken = token(paris, "{\"name\":\"ops\",\"role\":\"admin\"}");
        String otherOffice = token(paris, "{\"name\":\"paris ci\",\"role\":\"publisher\",\"offices\":[\"paris\"]}");
        String expired = token(paris, "{\"name\":\"short\",\"role\":\"viewer\",\"expiresAt\":\""
                + Instant.now().plusSeconds(3) + "\"}");
        String revoked = token(paris, "{\"name\":\"gone\",\"role\":\"admin\"}");
        String revokedId = revoked.substring(4, 16);
        assertThat(paris.admin().delete("/api/tokens/" + revokedId).status()).isEqualTo(200);
        // a swarm the publisher token publishes: it may pause, resume and remove that one, and no other
        Path owned = Artifacts.write(published, "owned", 42, 200_000);
        String base = "http://127.0.0.1:" + hq.httpPort;
        assertThat(call(base, "POST", "/api/swarms", "{\"path\":\"" + owned + "\",\"policy\":\"offices:hq\"}",
                "Bearer " + publisher)).isEqualTo(201);
        JsonObject ownedSwarm = hq.admin().get("/api/swarms").array().getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("name").equals("owned")).findFirst().orElseThrow();
        String own = ownedSwarm.getString("infoHash");
        assertThat(ownedSwarm.getString("owner")).isEqualTo("token:" + publisher.substring(4, 16));
        Thread.sleep(3500); // the short one expires
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("none", null);
        auth.put("wrong", basic("admin", "not-the-password"));
        auth.put("malformed", "Bearer fst_nothing");
        auth.put("viewer", basic("viewer", MicroNode.VIEWER_PASSWORD));
        auth.put("publisher", "Bearer " + publisher);
        auth.put("admin", basic("admin", MicroNode.ADMIN_PASSWORD));
        auth.put("adminToken", "Bearer " + adminToken);
        auth.put("expired", "Bearer " + expired);
        auth.put("revoked", "Bearer " + revoked);
        auth.put("otherOffice", "Bearer " + otherOffice);

        String file = "/files/" + hash + "/matrix/f0.bin";
        //                      none wrong malf viewer publ admin admTok expired revoked other
        List<Row> rows = List.of(
                new Row("GET", "/api/swarms", null, 401, 401, 401, 200, 200, 200, 200, 401, 401, 200),
                new Row("GET", "/api/swarms/" + hash, null, 401, 401, 401, 200, 200, 200, 200, 401, 401, 200),
                new Row("GET", "/api/cluster", null, 401, 401, 401, 200, 200, 200, 200, 401, 401, 200),
                new Row("GET", "/api/offices", null, 401, 401, 401, 200, 200, 200, 200, 401, 401, 200),
                new Row("GET", "/api/settings", null, 401, 401, 401, 200, 200, 200, 200, 401, 401, 200),
                new Row("GET", file, null, 401, 401, 401, 200, 200, 200, 200, 401, 401, 200),
                new Row("GET", "/api/tokens", null, 401, 401, 401, 403, 403, 200, 200, 401, 401, 403),
                new Row("GET", "/api/audit", null, 401, 401, 401, 403, 403, 200, 200, 401, 401, 403),
                // publishing: a body without a path reaches the API as 400; a scoped token with a policy outside its
                // offices is refused (403) before that
                new Row("POST", "/api/swarms", "{\"policy\":\"offices:hq\"}", 401, 401, 401, 403, 400, 400, 400, 401, 401, 403),
                new Row("POST", "/api/swarms", "{\"policy\":\"offices:paris\"}", 401, 401, 401, 403, 400, 400, 400, 401, 401, 400),
                new Row("POST", "/api/swarms/" + hash + "/pause", "", 401, 401, 401, 403, 403, 200, 200, 401, 401, 403),
                new Row("POST", "/api/swarms/" + hash + "/resume", "", 401, 401, 401, 403, 403, 200, 200, 401, 401, 403),
                // the publisher's own swarm: it and admins may steer it, another publisher may not
                new Row("POST", "/api/swarms/" + own + "/pause", "", 401, 401, 401, 403, 200, 200, 200, 401, 401, 403),
                new Row("POST", "/api/swarms/" + own + "/resume", "", 401, 401, 401, 403, 200, 200, 200, 401, 401, 403),
                new Row("PUT", "/api/settings", "{\"downloadLimit\":0,\"uploadLimit\":0}", 401, 401, 401, 403, 403, 200, 200, 401, 401, 403),
                new Row("PUT", "/api/offices/paris/budget", "{\"inLimit\":0}", 401, 401, 401, 403, 403, 200, 200, 401, 401, 403),
                new Row("DELETE", "/api/swarms/" + "0".repeat(40), null, 401, 401, 401, 403, 404, 404, 404, 401, 401, 404),
                new Row("POST", "/api/tokens", "{\"name\":\"x\",\"role\":\"root\"}", 401, 401, 401, 403, 403, 400, 400, 401, 401, 403),
                new Row("DELETE", "/api/tokens/000000000000", null, 401, 401, 401, 403, 403, 404, 404, 401, 401, 403),
                // files take no method but GET and HEAD, from anyone: refused before credentials are even looked at
                new Row("DELETE", file, null, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403));
        List<String> mismatches = new ArrayList<>();
        int reachedTheApi = 0;
        int refused = 0;
        int forbidden = 0;
        for (Row row : rows) {
            for (int i = 0; i < WHO.length; i++) {
                int got = call(base, row.method(), row.path(), row.body(), auth.get(WHO[i]));
                if (got != row.expected()[i]) {
                    mismatches.add(row.method() + " " + row.path() + " as " + WHO[i] + ": " + got + ", expected "
                            + row.expected()[i]);
                }
                if (got == 401) {
                    if (!WHO[i].equals("none")) {
                        refused++; // credentials or a token that were refused (none at all is only asked for)
                    }
                } else if (!row.method().equals("GET")) {
                    if (got == 403 && !(WHO[i].equals("otherOffice") && row.path().equals("/api/swarms"))) {
                        forbidden++; // refused by the role, before the API
                    } else {
                        reachedTheApi++;
                    }
                }
            }
        }
        assertThat(mismatches).as("calls that did not get their documented status").isEmpty();

        // the audit log of hq: what the table did (plus the publication above), and no read
        // (what hq served: the tokens' creation on paris is in hq's log too, served by paris)
        String hqName = hq.admin().get("/api/cluster").json().getJsonArray("members").getValuesAs(JsonObject.class)
                .stream().filter(m -> m.getBoolean("local")).findFirst().orElseThrow().getString("name");
        List<JsonObject> log = hq.admin().get("/api/audit?limit=10000&node=" + hqName).array()
                .getValuesAs(JsonObject.class);
        assertThat(log).noneMatch(e -> e.getString("action").startsWith("GET ") || e.getString("action").startsWith("HEAD "));
        long changes = log.stream().filter(e -> !e.getString("action").startsWith("sign-in") && e.getInt("result") != 403)
                .count();
        String scoped = "token:" + otherOffice.substring(4, 16);
        long scopeRefusals = log.stream().filter(e -> e.getInt("result") == 403 && e.getString("who").equals(scoped)
                && e.getString("action").equals("POST /api/swarms")).count();
        assertThat(scopeRefusals).as("the scoped token's publication outside its offices").isEqualTo(1);
        assertThat(changes + scopeRefusals).as("changing calls that reached the API, and the first publication")
                .isEqualTo(reachedTheApi + 2);
        assertThat(log.stream().filter(e -> e.getInt("result") == 403).count() - scopeRefusals).isEqualTo(forbidden);
        assertThat(log.stream().filter(e -> e.getString("action").startsWith("sign-in refused")).count()).isEqualTo(refused);
        JsonObject pause = log.stream().filter(e -> e.getString("action").equals("POST /api/swarms/{infoHash}/pause")
                && e.getInt("result") == 200 && e.getString("who").startsWith("token:") && e.getString("target").equals(hash))
                .findFirst().orElseThrow();
        assertThat(pause.getString("target")).isEqualTo(hash);
        assertThat(pause.getString("role")).isEqualTo("admin");
        assertThat(pause.getString("who")).isEqualTo("token:" + adminToken.substring(4, 16));
        // the whole cluster's log is in every node's: paris holds hq's entry, same id, served by hq
        assertThat(pause.getString("node")).isNotBlank();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> paris.admin()
                .get("/api/audit?limit=10000&node=" + pause.getString("node")).array().getValuesAs(JsonObject.class)
                .stream().anyMatch(e -> e.getString("id").equals(pause.getString("id"))));
        assertThat(paris.admin().get("/api/audit?limit=10000").array().getValuesAs(JsonObject.class).stream()
                .filter(e -> e.getString("id").equals(pause.getString("id"))).count()).as("copied once").isEqualTo(1);
        // exported as JSON lines, filtered by user
        Api.Reply lines = hq.admin().get("/api/audit?format=jsonl&who=viewer&limit=10000");
        assertThat(lines.status()).isEqualTo(200);
        assertThat(lines.contentType()).startsWith("application/x-ndjson");
        assertThat(lines.body().lines()).isNotEmpty().allMatch(l -> l.contains("\"who\":\"viewer\""));
        // bad input: a malformed filter is a 400 that says what to fix
        Api.Reply bad = hq.admin().get("/api/audit?since=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("ISO-8601");

        // tokens listed without secrets; the revoked one says when
        String listed = hq.admin().get("/api/tokens").body();
        assertThat(listed).doesNotContain(publisher.substring(17)).doesNotContain("secretHash").contains("revokedAt");

        // a publisher removes its own swarm and no other; another publisher cannot remove it
        assertThat(call(base, "DELETE", "/api/swarms/" + hash, null, "Bearer " + publisher)).isEqualTo(403);
        assertThat(call(base, "DELETE", "/api/swarms/" + own, null, "Bearer " + otherOffice)).isEqualTo(403);
        assertThat(call(base, "DELETE", "/api/swarms/" + own, null, "Bearer " + publisher)).isEqualTo(204);
        assertThat(hq.admin().get("/api/swarms/" + hash).status()).isEqualTo(200);
    }

    private static String token(MicroNode node, String body) throws Exception {
        Api.Reply r = node.admin().postJson("/api/tokens", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String t = r.json().getString("token");
        assertThat(t).matches("fst_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        return t;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int call(String base, String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("X-Requested-With", "access-matrix")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty()) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

package dev.freshet.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.BitSet;

/** A small client of one node's REST API, as a script would use it (HTTP Basic, JSON). */
public final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    Api(String base, String user, String password) {
        this.base = base;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Api plain() {
        return new Api("", null, null);
    }

    /** A response with its body as text. */
    public record Reply(int status, String contentType, String body) {
        public JsonObject json() {
            return (JsonObject) parse();
        }

        public JsonArray array() {
            return (JsonArray) parse();
        }

        private JsonStructure parse() {
            try (var r = Json.createReader(new StringReader(body))) {
                return r.read();
            } catch (RuntimeException e) {
                throw new IllegalStateException("not JSON (status " + status + ", " + contentType + "): "
                        + body.substring(0, Math.min(300, body.length())), e);
            }
        }
    }

    /**
     * The swarm a publication ({@code POST /api/swarms}) came to: at once from a 201, or, from a 202 (an artifact
     * hashed in the background), once its publication is done (within {@code timeout}).
     */
    public JsonObject published(Reply reply, java.time.Duration timeout) throws IOException, InterruptedException {
        if (reply.status() == 201) {
            return reply.json();
        }
        if (reply.status() != 202) {
            throw new IllegalStateException("publishing answered " + reply.status() + ": " + reply.body());
        }
        String at = "/api/publications/" + reply.json().getString("id");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject p = get(at).json();
            switch (p.getString("state")) {
                case "done" -> {
                    return get(p.getString("swarm")).json();
                }
                case "failed" -> throw new IllegalStateException("publishing failed: " + p);
                default -> Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the publication did not end within " + timeout + ": " + get(at).body());
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return reply(send("GET", base + path));
    }

    /** The name of the first server-sent event at {@code path} (the stream is closed after it). */
    public String firstEvent(String path) throws IOException, InterruptedException {
        HttpResponse<java.util.stream.Stream<String>> r = exchange(request(path).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = r.body()) {
            return lines.filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).findFirst().orElse("");
        }
    }

    public Reply delete(String path) throws IOException, InterruptedException {
        return reply(send("DELETE", base + path));
    }

    public Reply postJson(String path, String json) throws IOException, InterruptedException {
        return reply(call(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    public Reply putJson(String path, String json) throws IOException, InterruptedException {
        return reply(call(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))));
    }

    public Reply post(String path) throws IOException, InterruptedException {
        // a POST without a body must say it is not a cross-site form (see CrossSiteGuard)
        return reply(call(request(path).header("X-Requested-With", "freshet-test").POST(HttpRequest.BodyPublishers.noBody())));
    }

    public Reply postBytes(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return reply(call(request(path).header("Content-Type", contentType).header("X-Requested-With", "freshet-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    }

    public byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = exchange(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        return exchange(builder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(HttpRequest.Builder b) throws IOException, InterruptedException {
        return exchange(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every call of this client: sent once more, unless it is a POST, when the connection it went out on was an idle
     * HTTP/2 one that Payara closed at that moment ("Idle connection closed by HTTP/2 peer", seen once in ConsoleIT
     * after a minute of browser steps): the call never reached the node. A POST is never repeated.
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        try {
            return HTTP.send(request, body);
        } catch (IOException e) {
            boolean idleClosed = e.getMessage() != null && e.getMessage().contains("Idle connection closed by HTTP/2 peer");
            if (!idleClosed || request.method().equals("POST")) {
                throw e;
            }
            return HTTP.send(request, body);
        }
    }

    private HttpRequest.Builder request(String path) {
        return builder(URI.create(base + path));
    }

    private HttpRequest.Builder builder(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static Reply reply(HttpResponse<String> r) {
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /** The swarm's verified pieces from its BEP 3 {@code bitfield} (base64). */
    public static BitSet pieces(JsonObject swarm) {
        byte[] bytes = Base64.getDecoder().decode(swarm.getString("bitfield"));
        BitSet set = new BitSet();
        for (int i = 0; i < bytes.length * 8; i++) {
            if ((bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                set.set(i);
            }
        }
        return set;
    }
}

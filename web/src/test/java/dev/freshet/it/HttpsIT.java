package dev.freshet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: the API, console and tracker over HTTPS with HSTS, and credentials refused over plain HTTP. The node is
 * told to refuse them from everywhere ({@code freshet.http.plain-credentials=never}): this test can only speak from
 * loopback, which the default trusts.
 */
class HttpsIT {
    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void credentialsTravelOnlyOverHttpsWhichCarriesHsts() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("https-" + System.nanoTime());
        cluster.plan(work, 1);
        // peer TLS off on this node: its cluster's trust report names it (a member whose peer traffic is in clear)
        MicroNode node = cluster.node(0, "hq", Map.of("freshet.http.plain-credentials", "never",
                "freshet.peer.tls", "off")).https();
        MicroCluster.startAll(Duration.ofSeconds(240), node);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + MicroNode.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpClient plain = HttpClient.newHttpClient();
        HttpClient tls = HttpClient.newBuilder().sslContext(trustingPayarasOwnCertificate()).build();

        // HTTPS: credentials taken, HSTS on every answer (also those that need none)
        HttpResponse<String> api = tls.send(get("https://127.0.0.1:" + node.httpsPort() + "/api/swarms", basic),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        assertThat(api.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        HttpResponse<String> console = tls.send(get("https://127.0.0.1:" + node.httpsPort() + "/", null),
                HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Strict-Transport-Security")).isPresent();
        HttpResponse<String> tracker = tls.send(get("https://127.0.0.1:" + node.httpsPort()
                + "/announce?info_hash=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00"
                + "&peer_id=-XX0001-123456789012&port=7000&left=1", null), HttpResponse.BodyHandlers.ofString());
        assertThat(tracker.statusCode()).isEqualTo(200);
        assertThat(tracker.body()).startsWith("d").contains("8:interval"); // the tracker answers over HTTPS too
        // HTTP/1.1 even to a client that offers HTTP/2 (this one does, by ALPN; curl and browsers too): Payara closes an
        // HTTP/2 connection whose call has not answered within a fixed 30 s (payara/Payara#7394), and some calls take
        // longer (a magnet's metadata is looked for up to a minute, a publish waits out a grid that lost a member)
        assertThat(api.version()).as("HTTP/2 cuts calls at 30 s").isEqualTo(HttpClient.Version.HTTP_1_1);

        // plain HTTP: the same credentials are refused without being checked; a wrong password gets the same answer
        HttpResponse<String> refused = plain.send(get("http://127.0.0.1:" + node.httpPort + "/api/swarms", basic),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("credentials are refused over plain HTTP").contains("use HTTPS");
        assertThat(refused.headers().firstValue("Strict-Transport-Security")).as("never over plain HTTP").isEmpty();
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8));
        assertThat(plain.send(get("http://127.0.0.1:" + node.httpPort + "/api/swarms", wrong),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(plain.send(get("http://127.0.0.1:" + node.httpPort + "/api/swarms", "Bearer fst_000000000000_"
                + "A".repeat(43)), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        // what needs no credentials still answers over plain HTTP (health for probes, the tracker for clients)
        assertThat(plain.send(get("http://127.0.0.1:" + node.httpPort + "/health/ready", null),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // and the refusals did not lock the admin out: over HTTPS the password still works
        assertThat(tls.send(get("https://127.0.0.1:" + node.httpsPort() + "/api/swarms", basic),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        HttpResponse<String> trust = tls.send(get("https://127.0.0.1:" + node.httpsPort() + "/api/cluster/trust", basic),
                HttpResponse.BodyHandlers.ofString());
        assertThat(trust.body()).as("a member without peer TLS is named").contains("\"plainMembers\":[\"node1\"]");
    }

    private static HttpRequest get(String url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    /** Payara's built-in certificate is self-signed: this client trusts the one the node shows, for this test only. */
    private static SSLContext trustingPayarasOwnCertificate() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        // an extended trust manager: JSSE then checks no host name either (Payara's certificate names localhost)
        c.init(null, new TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return c;
    }
}

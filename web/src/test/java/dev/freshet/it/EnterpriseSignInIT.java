package dev.freshet.it;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import dev.freshet.web.security.LdapDirectoryTest;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: the enterprise's own sign-in. One node signs users in through a real LDAP server (UnboundID's, in this
 * process) and a real OpenID provider (Keycloak, its own process), both on loopback, and gives each the role its
 * groups map to. In Chromium: a Keycloak user of the publishers' group signs in on Keycloak's login page and lands in
 * the console as a publisher (may publish, may not change settings, in the console and the API alike); a directory
 * viewer sees no changing control. Over the API: every kind of directory user gets the documented status.
 */
class EnterpriseSignInIT {
    private static final String REALM = "freshet";
    private static final String CLIENT_SECRET = "console-secret-8d1f";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();
    @RegisterExtension
    final Keycloak keycloak = new Keycloak();

    @Test
    void enterpriseUsersSignInWithTheRolesTheirGroupsGive() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("sign-in-" + System.nanoTime());
        Path published = work.resolve("published");
        Path artifact = Artifacts.write(published, "release", 16, 400_000);
        Path parisArtifact = Artifacts.write(published, "paris-build", 17, 200_000);
        InMemoryDirectoryServer ldap = LdapDirectoryTest.directory();
        try {
            cluster.plan(work, 1);
            String issuer = keycloak.issuer(REALM);
            String people = "ou=people," + LdapDirectoryTest.BASE;
            MicroNode node = cluster.node(0, "hq", Map.ofEntries(
                    Map.entry("freshet.publish.roots", published.toString()),
                    Map.entry("freshet.ldap.url", "ldap://127.0.0.1:" + ldap.getListenPort()),
                    Map.entry("freshet.ldap.bind-dn", "cn=freshet," + people),
                    Map.entry("freshet.ldap.bind-password", "service-secret"),
                    Map.entry("freshet.ldap.user-base", people),
                    Map.entry("freshet.ldap.group-base", "ou=groups," + LdapDirectoryTest.BASE),
                    Map.entry("freshet.roles.admin", "freshet-admins"),
                    Map.entry("freshet.roles.publisher", "freshet-publishers,paris-publishers"),
                    Map.entry("freshet.roles.offices", "paris-publishers:paris"),
                    Map.entry("freshet.roles.viewer", "freshet-viewers"),
                    Map.entry("freshet.oidc.issuer", issuer),
                    Map.entry("freshet.oidc.client-id", "freshet-console"),
                    Map.entry("freshet.oidc.client-secret", CLIENT_SECRET),
                    Map.entry("freshet.oidc.label", "Sign in with Example Corp SSO")));
            String base = "http://127.0.0.1:" + node.httpPort;
            keycloak.launch(work.resolve("keycloak"), REALM, realm(base + "/auth/oidc/callback"));
            MicroCluster.startAll(Duration.ofSeconds(240), node);
            keycloak.awaitReady(REALM, Duration.ofSeconds(240));

            overTheApi(node, base, artifact);
            // a publisher whose group is scoped to paris publishes for paris only
            assertThat(call(base, "POST", "/api/swarms", "{\"path\":\"" + parisArtifact + "\",\"policy\":\"all\"}",
                    "paul", "paul-pw")).isEqualTo(403);
            assertThat(call(base, "POST", "/api/swarms", "{\"path\":\"" + parisArtifact
                    + "\",\"policy\":\"offices:paris\"}", "paul", "paul-pw")).isEqualTo(201);
            try (Browser b = new Browser(base, 1366, 768)) {
                try {
                    inTheBrowser(b, base);
                } catch (AssertionError | RuntimeException e) {
                    b.screenshot("sign-in-failed");
                    throw e;
                }
            }

            // the audit log: the single sign-on and the forged callback, each with who and role
            List<JsonObject> log = node.admin().get("/api/audit?limit=1000").array().getValuesAs(JsonObject.class);
            assertThat(log).anyMatch(e -> e.getString("action").equals("sign-in (OpenID Connect)")
                    && e.getString("who").equals("kim") && e.getString("role").equals("publisher"));
            assertThat(log).anyMatch(e -> e.getString("action").startsWith("sign-in refused: OpenID Connect")
                    && e.getInt("result") == 401);
            assertThat(log).anyMatch(e -> e.getString("who").equals("pia") && e.getString("action").equals("POST /api/swarms")
                    && e.getInt("result") == 201 && e.getString("role").equals("publisher"));
        } finally {
            ldap.shutDown(true);
        }
    }

    private void overTheApi(MicroNode node, String base, Path artifact) throws Exception {
        // directory users: the admins' group changes settings; a publisher publishes and may not change settings
        String settings = "{\"downloadLimit\":0,\"uploadLimit\":0}";
        assertThat(call(base, "PUT", "/api/settings", settings, "alice", "alice-pw")).isEqualTo(200);
        assertThat(call(base, "GET", "/api/me", null, "pia", "pia-pw")).isEqualTo(200);
        assertThat(call(base, "POST", "/api/swarms", "{\"path\":\"" + artifact + "\"}", "pia", "pia-pw")).isEqualTo(201);
        assertThat(call(base, "PUT", "/api/settings", settings, "pia", "pia-pw")).isEqualTo(403);
        String hash = node.admin().get("/api/swarms").array().getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("name").equals("release")).findFirst().orElseThrow().getString("infoHash");
        assertThat(call(base, "POST", "/api/swarms/" + hash + "/pause", "", "pia", "pia-pw")).as("its own").isEqualTo(200);
        assertThat(call(base, "POST", "/api/swarms/" + hash + "/resume", "", "pia", "pia-pw")).isEqualTo(200);
        // a viewer reads and changes nothing; a user in no mapped group has no role at all
        assertThat(call(base, "GET", "/api/swarms", null, "bob", "bob-pw")).isEqualTo(200);
        assertThat(call(base, "POST", "/api/swarms/" + hash + "/pause", "", "bob", "bob-pw")).isEqualTo(403);
        assertThat(call(base, "GET", "/api/swarms", null, "carol", "carol-pw")).isEqualTo(403);
        // wrong passwords, an empty one, filter syntax in a name: refused, as for the node's own accounts
        assertThat(call(base, "GET", "/api/swarms", null, "alice", "bob-pw")).isEqualTo(401);
        assertThat(call(base, "GET", "/api/swarms", null, "*", "alice-pw")).isEqualTo(401);
        assertThat(call(base, "GET", "/api/swarms", null, "twin", "twin-pw")).isEqualTo(401);
        // the node's own accounts still work beside the directory
        assertThat(call(base, "PUT", "/api/settings", settings, "admin", MicroNode.ADMIN_PASSWORD)).isEqualTo(200);
        // a callback this node did not start is refused (and sent back to the console, which says why)
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/auth/oidc/callback?state=forged&code=forged")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(302);
        assertThat(forged.headers().firstValue("Location").orElse("")).endsWith("/");
    }

    private void inTheBrowser(Browser b, String base) throws Exception {
        // single sign-on on Keycloak's own login page
        b.open("/");
        assertThat(b.awaitVisible("#signin-sso").getText()).contains("Example Corp SSO");
        b.click("#signin-sso");
        b.await(30, "Keycloak's login page", x -> x.find("#username").isDisplayed());
        assertThat(b.driver.getCurrentUrl()).startsWith(keycloak.issuer(REALM));
        b.screenshot("keycloak-login");
        b.find("#username").sendKeys("kim");
        b.find("#password").sendKeys("kim-password");
        b.click("#kc-login");
        b.await(30, "signed in as a publisher", x -> x.find("#who-role").getText().equals("publisher"));
        assertThat(b.text("#who")).contains("kim");
        b.awaitVisible("[data-action=publish]"); // a publisher may publish
        b.awaitVisible("tr[data-hash]");
        assertThat(b.present("[data-action=pause]")).as("pia's swarm: not kim's to pause").isFalse();
        b.screenshot("signed-in-publisher");
        Cookie session = b.driver.manage().getCookieNamed("JSESSIONID");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        // the session is the caller for the API too: reads yes, settings no
        assertThat(fetch(b, "GET", "api/me")).startsWith("200").contains("\"role\":\"publisher\"");
        assertThat(fetch(b, "PUT", "api/settings")).startsWith("403");
        b.open("/#/settings");
        b.awaitVisible("#main h1");
        assertThat(b.present("[data-action=save-limits]")).as("no settings control for a publisher").isFalse();
        // signing out closes the session on the node, and the provider's: the next single sign-on asks again
        b.click("#sign-out");
        // (the console was at #/settings: back at the bare address, the provider's sign-out sent it there)
        b.await(30, "back from the provider's sign-out", x -> x.driver.getCurrentUrl().equals(base + "/")
                && x.find("#signin-sso").isDisplayed());
        assertThat(fetch(b, "GET", "api/me")).startsWith("401");
        b.click("#signin-sso");
        b.await(30, "Keycloak asks again", x -> x.find("#username").isDisplayed());
        b.open("/");

        // a directory viewer signs in with the form and sees no changing control
        b.open("/#/swarms");
        b.signIn("bob", "bob-pw");
        b.await(20, "signed in as a viewer", x -> x.find("#who-role").getText().equals("viewer"));
        b.awaitVisible("tr[data-hash]");
        assertThat(b.all("[data-mutates]")).as("controls that change things, shown to a viewer").isEmpty();
        b.screenshot("signed-in-directory-viewer");
    }

    /** A call from the page itself (its cookies, no credentials of its own): "status body". */
    private static String fetch(Browser b, String method, String path) {
        return (String) ((org.openqa.selenium.JavascriptExecutor) b.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[1], {method: arguments[0], headers: {'X-Requested-With': 'XMLHttpRequest',"
                        + " 'Content-Type': 'application/json'}, body: arguments[0] === 'GET' ? undefined :"
                        + " '{\"downloadLimit\":0,\"uploadLimit\":0}'})"
                        + ".then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));",
                method, path);
    }

    private static int call(String base, String method, String path, String body, String user, String password)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("X-Requested-With", "sign-in-it")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty()) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The realm: groups named as the directory's, a confidential client for this node, users kim and otto. */
    private static String realm(String redirectUri) {
        return """
                {"realm": "%s", "enabled": true, "sslRequired": "external",
                 "groups": [{"name": "freshet-admins"}, {"name": "freshet-publishers"}, {"name": "freshet-viewers"}],
                 "users": [
                  {"username": "kim", "enabled": true, "email": "kim@example.test", "emailVerified": true,
                   "firstName": "Kim", "lastName": "Publisher", "groups": ["/freshet-publishers"],
                   "credentials": [{"type": "password", "value": "kim-password", "temporary": false}]},
                  {"username": "otto", "enabled": true, "email": "otto@example.test", "emailVerified": true,
                   "firstName": "Otto", "lastName": "Nobody", "groups": [],
                   "credentials": [{"type": "password", "value": "otto-password", "temporary": false}]}],
                 "clients": [{"clientId": "freshet-console", "enabled": true, "protocol": "openid-connect",
                   "publicClient": false, "secret": "%s", "standardFlowEnabled": true,
                   "directAccessGrantsEnabled": false, "redirectUris": ["%s"],
                   "attributes": {"pkce.code.challenge.method": "S256", "post.logout.redirect.uris": "%s"},
                   "protocolMappers": [{"name": "groups", "protocol": "openid-connect",
                     "protocolMapper": "oidc-group-membership-mapper",
                     "config": {"claim.name": "groups", "full.path": "false", "id.token.claim": "true",
                       "access.token.claim": "true", "userinfo.token.claim": "true"}}]}]}
                """.formatted(REALM, CLIENT_SECRET, redirectUri, redirectUri.replace("auth/oidc/callback", ""));
    }
}

package dev.freshet.web.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The enterprise's OpenID Connect provider (issue 16), for the console's sign-in by the authorization code flow with
 * PKCE (RFC 7636) and a confidential client. Configured at start ({@code freshet.oidc.*}: {@code issuer},
 * {@code client-id}, {@code client-secret}, {@code scopes} (default {@code openid profile email}),
 * {@code groups-claim} (default {@code groups}), {@code name-claim} (default {@code preferred_username}),
 * {@code label} (the console's button), {@code session-hours} (default 8)); absent when no issuer is set.
 *
 * <p>The provider's metadata (OpenID Connect Discovery) is read at the first sign-in and kept; its keys are read
 * again when a token names a key the node has not seen (the provider rotated them), at most once a minute.
 *
 * <p>Why not Jakarta Security's {@code @OpenIdAuthenticationMechanismDefinition}: Jakarta Security 3 (Payara 6)
 * takes one authentication mechanism per application, and that one would send every request without a session to
 * the provider, scripts and pipelines included; here one mechanism ({@link BasicAuthentication}) answers API
 * calls with 401 as before, takes passwords, tokens and the session this sign-in opens, and a node without a
 * provider starts without one.
 */
@ApplicationScoped
public class OpenIdProvider {
    private static final System.Logger LOG = System.getLogger(OpenIdProvider.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The provider's settings; {@code null} in {@link OpenIdProvider#settings} when there is no provider. */
    public record Settings(String issuer, String clientId, String clientSecret, String scopes, String groupsClaim,
                           String nameClaim, String label, Duration session) {
    }

    /**
     * Who signed in, with what roles, until when; {@code idToken}, the provider's token, names the provider's session
     * when signing out of it ({@link #endSession}).
     */
    public record SignedIn(String user, Set<String> roles, Instant until, String idToken)
            implements java.io.Serializable {
    }

    private Settings settings;
    private GroupRoles roles;
    private HttpClient http;
    private volatile JsonObject metadata;
    private volatile JsonObject jwks;
    private volatile long jwksReadAt;

    @PostConstruct
    void read() {
        Config c = ConfigProvider.getConfig();
        roles = GroupRoles.from(c);
        Optional<String> issuer = c.getOptionalValue("freshet.oidc.issuer", String.class).filter(s -> !s.isBlank());
        if (issuer.isEmpty()) {
            return;
        }
        String clientId = c.getOptionalValue("freshet.oidc.client-id", String.class).orElseThrow(
                () -> new IllegalStateException("freshet.oidc.issuer is set: set freshet.oidc.client-id too"));
        settings = new Settings(issuer.get().trim().replaceAll("/+$", ""), clientId,
                c.getOptionalValue("freshet.oidc.client-secret", String.class).orElse(""),
                c.getOptionalValue("freshet.oidc.scopes", String.class).orElse("openid profile email"),
                c.getOptionalValue("freshet.oidc.groups-claim", String.class).orElse("groups"),
                c.getOptionalValue("freshet.oidc.name-claim", String.class).orElse("preferred_username"),
                c.getOptionalValue("freshet.oidc.label", String.class).orElse("Sign in with single sign-on"),
                Duration.ofHours(c.getOptionalValue("freshet.oidc.session-hours", Integer.class).orElse(8)));
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        LOG.log(System.Logger.Level.INFO, "Console sign-in through the OpenID provider {0}", settings.issuer());
    }

    /** The provider's settings, if this node has one. */
    public Optional<Settings> settings() {
        return Optional.ofNullable(settings);
    }

    /** Where to send the browser: the provider's authorization endpoint with this sign-in's state, nonce and PKCE. */
    public URI authorization(String redirectUri, String state, String nonce, String verifier) throws IOException {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", settings.scopes());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        String endpoint = metadata().getString("authorization_endpoint");
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(q));
    }

    /**
     * Exchanges {@code code} at the token endpoint and checks the ID token it answers with; who signed in and the
     * roles their groups map to (none: they may sign in and do nothing).
     */
    public SignedIn redeem(String code, String redirectUri, String nonce, String verifier) throws IOException,
            IdTokens.Refused {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri);
        body.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(metadata().getString("token_endpoint")))
                .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (settings.clientSecret().isEmpty()) {
            body.put("client_id", settings.clientId()); // a public client
        } else {
            // client_secret_basic: each part form-encoded first (RFC 6749 2.3.1)
            String pair = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = send(request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build());
        JsonObject answer = json(response.body(), "the token endpoint");
        if (response.statusCode() != 200) {
            throw new IdTokens.Refused("the provider refused the code: " + answer.getString("error", "HTTP "
                    + response.statusCode()) + " " + answer.getString("error_description", ""));
        }
        String idToken = answer.getString("id_token", null);
        if (idToken == null) {
            throw new IdTokens.Refused("the provider answered without an ID token (is the scope openid asked for?)");
        }
        JsonObject keys = jwks(false);
        if (IdTokens.keyUnknown(idToken, keys)) {
            keys = jwks(true);
        }
        JsonObject claims = IdTokens.verify(idToken, keys, settings.issuer(), settings.clientId(), nonce, Instant.now());
        String user = claims.getString(settings.nameClaim(), claims.getString("sub"));
        List<String> groups = groups(claims.get(settings.groupsClaim()));
        return new SignedIn(user, roles.rolesAndScopeOf(groups), Instant.now().plus(settings.session()), idToken);
    }

    /**
     * Where to send the browser to end the provider's session too (OpenID Connect RP-Initiated Logout), and back to
     * {@code returnTo} after; empty when the provider offers no {@code end_session_endpoint}.
     */
    public Optional<URI> endSession(String idToken, String returnTo) {
        try {
            String endpoint = metadata().getString("end_session_endpoint", null);
            if (endpoint == null) {
                return Optional.empty();
            }
            Map<String, String> q = new LinkedHashMap<>();
            q.put("id_token_hint", idToken);
            q.put("client_id", settings.clientId());
            q.put("post_logout_redirect_uri", returnTo);
            return Optional.of(URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(q)));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot sign out of the OpenID provider: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A groups claim: an array of names, or one name; a path such as {@code /freshet/admins} counts by its last part too. */
    static List<String> groups(JsonValue claim) {
        List<String> groups = new ArrayList<>();
        if (claim instanceof JsonArray a) {
            a.forEach(v -> {
                if (v instanceof JsonString s) {
                    groups.add(s.getString());
                }
            });
        } else if (claim instanceof JsonString s) {
            groups.add(s.getString());
        }
        List<String> withLeaves = new ArrayList<>(groups);
        for (String g : groups) {
            int slash = g.lastIndexOf('/');
            if (slash >= 0 && slash < g.length() - 1) {
                withLeaves.add(g.substring(slash + 1));
            }
        }
        return withLeaves;
    }

    private JsonObject metadata() throws IOException {
        JsonObject m = metadata;
        if (m == null) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(settings.issuer()
                    + "/.well-known/openid-configuration")).timeout(TIMEOUT).GET().build());
            if (r.statusCode() != 200) {
                throw new IOException("the provider's metadata answered HTTP " + r.statusCode());
            }
            m = json(r.body(), "the provider's metadata");
            // OpenID Connect Discovery 4.3: the metadata must name the issuer it was asked for
            if (!settings.issuer().equals(m.getString("issuer", ""))) {
                throw new IOException("the provider's metadata names the issuer " + m.getString("issuer", "(none)")
                        + ", not " + settings.issuer());
            }
            for (String k : List.of("authorization_endpoint", "token_endpoint", "jwks_uri")) {
                if (m.getString(k, null) == null) {
                    throw new IOException("the provider's metadata has no " + k);
                }
            }
            metadata = m;
        }
        return m;
    }

    private synchronized JsonObject jwks(boolean again) throws IOException {
        long now = System.nanoTime();
        if (jwks == null || (again && now - jwksReadAt > Duration.ofMinutes(1).toNanos())) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(metadata().getString("jwks_uri")))
                    .timeout(TIMEOUT).GET().build());
            if (r.statusCode() != 200) {
                throw new IOException("the provider's keys answered HTTP " + r.statusCode());
            }
            jwks = json(r.body(), "the provider's keys");
            jwksReadAt = now;
        }
        return jwks;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + request.uri());
        }
    }

    private static JsonObject json(String body, String what) throws IOException {
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readObject();
        } catch (RuntimeException e) {
            throw new IOException(what + " answered something that is not a JSON object");
        }
    }

    private static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

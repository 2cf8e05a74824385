package dev.freshet.web.security;

import dev.freshet.web.api.Problem;
import dev.freshet.web.audit.AuditTrail;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The console's sessions (issue 16): {@code GET /auth/oidc/signin} sends the browser to the OpenID provider,
 * {@code GET /auth/oidc/callback} takes it back, checks everything ({@link OpenIdProvider#redeem}) and opens a session
 * that {@link BasicAuthentication} honours; {@code GET /auth/session} tells the console how it may sign in and why
 * the last attempt failed; {@code POST /auth/signout} closes the session.
 *
 * <p>The session cookie is {@code HttpOnly} and {@code SameSite=Lax} (web.xml); its identifier changes at sign-in
 * (no fixation); a changing API call on a session still passes {@link CrossSiteGuard}.
 */
@WebServlet(urlPatterns = "/auth/*")
public class SignInServlet extends HttpServlet {
    /** The session attribute that holds who signed in ({@link OpenIdProvider.SignedIn}). */
    public static final String SIGNED_IN = "dev.freshet.signedIn";
    private static final String PENDING = "dev.freshet.oidc.pending";
    private static final String ERROR = "dev.freshet.signin.error";
    private static final long PENDING_SECONDS = 600;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sign-in on its way through the provider. */
    record Pending(String state, String nonce, String verifier, String redirectUri, Instant started)
            implements Serializable {
    }

    @Inject
    OpenIdProvider provider;
    @Inject
    AuditTrail audit;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        switch (String.valueOf(request.getPathInfo())) {
            case "/oidc/signin" -> signIn(request, response);
            case "/oidc/callback" -> callback(request, response);
            case "/session" -> session(request, response);
            default -> Problem.write(response, 404, "Not Found", "no such sign-in step");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/signout".equals(request.getPathInfo())) {
            Problem.write(response, 404, "Not Found", "no such sign-in step");
            return;
        }
        String refusal = CrossSiteGuard.refusal(request);
        if (refusal != null) {
            Problem.write(response, 403, "Forbidden", refusal);
            return;
        }
        HttpSession session = request.getSession(false);
        Object signedIn = session == null ? null : session.getAttribute(SIGNED_IN);
        if (session != null) {
            session.invalidate();
        }
        // the provider's session too, or the next "Sign in with ..." would sign the same person in without asking
        Optional<java.net.URI> logout = signedIn instanceof OpenIdProvider.SignedIn s && s.idToken() != null
                ? provider.endSession(s.idToken(), consoleUri(request)) : Optional.empty();
        if (logout.isEmpty()) {
            response.setStatus(204);
            return;
        }
        response.setContentType("application/json");
        response.getWriter().write(Json.createObjectBuilder().add("logout", logout.get().toString()).build().toString());
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (provider.settings().isEmpty()) {
            Problem.write(response, 404, "Not Found", "this node has no OpenID provider (freshet.oidc.issuer)");
            return;
        }
        Pending pending = new Pending(random(), random(), random() + random(), redirectUri(request), Instant.now());
        try {
            var target = provider.authorization(pending.redirectUri(), pending.state(), pending.nonce(),
                    pending.verifier());
            request.getSession(true).setAttribute(PENDING, pending);
            response.sendRedirect(target.toString());
        } catch (IOException e) {
            fail(request, response, "the OpenID provider cannot be reached: " + e.getMessage());
        }
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        Pending pending = session == null ? null : (Pending) session.getAttribute(PENDING);
        if (session != null) {
            session.removeAttribute(PENDING); // a state is good for one answer
        }
        String state = request.getParameter("state");
        if (pending == null || state == null || !java.security.MessageDigest.isEqual(state.getBytes(),
                pending.state().getBytes())) {
            fail(request, response, "this sign-in was not started here or was already used: start it again");
            return;
        }
        if (Instant.now().isAfter(pending.started().plusSeconds(PENDING_SECONDS))) {
            fail(request, response, "the sign-in took more than " + PENDING_SECONDS / 60 + " minutes: start it again");
            return;
        }
        String error = request.getParameter("error");
        if (error != null) {
            String description = Optional.ofNullable(request.getParameter("error_description")).orElse("");
            fail(request, response, "the OpenID provider answered " + error
                    + (description.isEmpty() ? "" : ": " + description));
            return;
        }
        String code = request.getParameter("code");
        if (code == null || code.isEmpty()) {
            fail(request, response, "the OpenID provider sent no authorization code");
            return;
        }
        OpenIdProvider.SignedIn who;
        try {
            who = provider.redeem(code, pending.redirectUri(), pending.nonce(), pending.verifier());
        } catch (IdTokens.Refused | IOException e) {
            fail(request, response, e.getMessage());
            return;
        }
        request.changeSessionId();
        session.setAttribute(SIGNED_IN, who);
        session.removeAttribute(ERROR);
        audit.signedIn(request, who.user(), dev.freshet.control.Roles.highest(who.roles()::contains));
        response.sendRedirect(request.getContextPath() + "/");
    }

    private void session(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObjectBuilder b = Json.createObjectBuilder();
        provider.settings().ifPresentOrElse(s -> b.add("oidc", Json.createObjectBuilder().add("label", s.label())
                .add("signIn", "auth/oidc/signin")), () -> b.addNull("oidc"));
        HttpSession session = request.getSession(false);
        Object error = session == null ? null : session.getAttribute(ERROR);
        if (error != null) {
            session.removeAttribute(ERROR); // said once
            b.add("error", error.toString());
        }
        Object signedIn = session == null ? null : session.getAttribute(SIGNED_IN);
        b.add("signedIn", signedIn instanceof OpenIdProvider.SignedIn s && Instant.now().isBefore(s.until()));
        response.setContentType("application/json");
        response.getWriter().write(b.build().toString());
    }

    /** Back to the console, which says why ({@code GET /auth/session}); refused sign-ins are audited. */
    private void fail(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
        request.getSession(true).setAttribute(ERROR, "Single sign-on failed: " + why);
        audit.refusedSignIn(request, "OpenID Connect: " + why);
        response.sendRedirect(request.getContextPath() + "/");
    }

    /** This node's callback as the browser reached it (the provider checks it against the client's list). */
    static String redirectUri(HttpServletRequest request) {
        return consoleUri(request) + "auth/oidc/callback";
    }

    /** The console's address as the browser reached it, ending in a slash. */
    static String consoleUri(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isEmpty()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return request.getScheme() + "://" + host + request.getContextPath() + "/";
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

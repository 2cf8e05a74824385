package dev.freshet.web.security;

import dev.freshet.control.tokens.ApiToken;
import dev.freshet.control.tokens.ApiTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * HTTP Basic (RFC 7617) for scripts and the console (the node's accounts and, if configured, the enterprise
 * directory: {@link LdapAccounts}), API tokens ({@code Authorization: Bearer fst_...}, RFC 6750) for pipelines, and
 * the console's session after a sign-in through the OpenID provider ({@link SignInServlet}). Written here rather than taken from {@code @BasicAuthenticationMechanismDefinition}
 * because that one answers 500 to a header without a password ({@code admin:}); any malformed header is a
 * plain 401 here. Refusals carry a problem document like every other API error.
 */
@ApplicationScoped
public class BasicAuthentication implements HttpAuthenticationMechanism {
    static final String CHALLENGE = "Basic realm=\"Freshet\", charset=\"UTF-8\"";
    /** For the console's own requests ({@code X-Requested-With: XMLHttpRequest}): same credentials, no browser dialog. */
    static final String CONSOLE_CHALLENGE = "FreshetBasic realm=\"Freshet\"";

    @Inject
    IdentityStoreHandler identityStores;
    @Inject
    SignInThrottle throttle;
    @Inject
    ApiTokens tokens;
    @Inject
    dev.freshet.web.audit.AuditTrail audit;
    /** The request attribute that holds the {@link ApiToken} a request came with. */
    public static final String TOKEN = "dev.freshet.token";
    /**
     * The request attribute that holds the offices a caller publishes within (a Set): those of an office-scoped
     * token, or of scoped groups ({@link GroupRoles}).
     */
    public static final String OFFICES = "dev.freshet.offices";

    /** The office scope that a user's groups carry ({@link GroupRoles#OFFICE}), as {@link #OFFICES}. */
    private static void scope(HttpServletRequest request, java.util.Collection<String> groups) {
        Set<String> offices = GroupRoles.scopeIn(groups);
        if (!offices.isEmpty()) {
            request.setAttribute(OFFICES, offices);
        }
    }

    @Inject
    dev.freshet.control.NodeSettings settings;

    /** HSTS (RFC 6797) on every answer over HTTPS: a browser that saw one uses HTTPS with this host for a year. */
    static final String HSTS = "max-age=31536000";

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        if (context.isProtected() && !request.isSecure() && carriesCredentials(request)
                && !settings.plainCredentials().allows(request.getRemoteAddr())) {
            // not even checked: they crossed the network in clear, and must not be tried here again so
            return problem(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", "credentials are refused over plain "
                    + "HTTP from " + request.getRemoteAddr() + ": use HTTPS (this node's HTTPS port, or the address its "
                    + "operators gave), and change a password that was sent in clear");
        }
        if (!context.isProtected()) {
            // the tracker, health, metrics and the console's files need no credentials: whatever a client sends
            // along (a stale password, say) is not checked, so it cannot be refused
            return context.doNothing();
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(header.substring(7), request, response, context);
        }
        if (header == null) {
            OpenIdProvider.SignedIn session = signedIn(request);
            if (session != null) {
                scope(request, session.roles());
                return context.notifyContainerAboutLogin(new CallerPrincipal(session.user()), session.roles());
            }
        }
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return refuse(request, response, context, "this needs credentials: HTTP Basic (user admin or viewer) or "
                    + "an API token (Authorization: Bearer fst_...)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse(request, response, context, "the Authorization header is not valid Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return refuse(request, response, context, "the Authorization header is not valid Basic credentials");
        }
        String user = decoded.substring(0, colon);
        String address = request.getRemoteAddr();
        if (throttled(user, address, response, "failed sign-ins for this user or from this address")) {
            return AuthenticationStatus.SEND_FAILURE; // not even compared: a guesser learns nothing from it
        }
        CredentialValidationResult result = identityStores.validate(
                new UsernamePasswordCredential(user, decoded.substring(colon + 1)));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            throttle.succeeded(user, address, System.nanoTime());
            scope(request, result.getCallerGroups());
            return context.notifyContainerAboutLogin(result);
        }
        throttle.failed(user, address, System.nanoTime());
        audit.refusedSignIn(request, "password of user " + user);
        return refuse(request, response, context, "wrong user name or password");
    }

    /**
     * An API token (issue 16): its role as the caller's group, the token itself as a request attribute
     * ({@link #TOKEN}: its office scope is checked where swarms are published). A valid token is never held back (it
     * cannot be guessed); refused ones count against their address ({@link SignInThrottle#tokenRetryAfter}).
     */
    private AuthenticationStatus bearer(String presented, HttpServletRequest request, HttpServletResponse response,
                                        HttpMessageContext context) {
        ApiTokens.Check check = tokens.check(presented);
        if (check instanceof ApiTokens.Valid valid) {
            ApiToken t = valid.token();
            request.setAttribute(TOKEN, t);
            if (!t.offices().isEmpty()) {
                request.setAttribute(OFFICES, Set.copyOf(t.offices())); // checked as a directory user's scope is
            }
            return context.notifyContainerAboutLogin(new CallerPrincipal("token:" + t.id()), Set.of(t.role()));
        }
        String address = request.getRemoteAddr();
        if (tooMany(throttle.tokenRetryAfter(address, System.nanoTime()), response, "refused tokens from this address")) {
            return AuthenticationStatus.SEND_FAILURE;
        }
        throttle.tokenRefused(address, System.nanoTime());
        String reason = ((ApiTokens.Refused) check).reason();
        audit.refusedSignIn(request, "bearer token: " + reason);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"Freshet\", error=\"invalid_token\"");
        return problem(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                "the bearer token is refused: " + reason);
    }

    private static boolean carriesCredentials(HttpServletRequest request) {
        if (request.getHeader("Authorization") != null) {
            return true;
        }
        jakarta.servlet.http.HttpSession session = request.getSession(false);
        return session != null;
    }

    /**
     * Who signed in to this browser's session through the OpenID provider ({@link SignInServlet}), while the session
     * lasts; a request with credentials of its own is judged by them alone.
     */
    private static OpenIdProvider.SignedIn signedIn(HttpServletRequest request) {
        jakarta.servlet.http.HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(SignInServlet.SIGNED_IN) instanceof OpenIdProvider.SignedIn s)) {
            return null;
        }
        if (java.time.Instant.now().isAfter(s.until())) {
            session.removeAttribute(SignInServlet.SIGNED_IN);
            return null;
        }
        return s;
    }

    /** Whether {@code user} from {@code address} must wait (answered 429 with {@code Retry-After} if so). */
    private boolean throttled(String user, String address, HttpServletResponse response, String what) {
        return tooMany(throttle.retryAfter(user, address, System.nanoTime()), response, what);
    }

    /** Whether a caller must wait {@code wait} seconds (answered 429 with {@code Retry-After} if so). */
    private static boolean tooMany(long wait, HttpServletResponse response, String what) {
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString(wait));
            problem(response, 429, "Too Many Requests", "too many " + what + ": try again in " + wait + " s");
        }
        return wait > 0;
    }

    private static AuthenticationStatus refuse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context, String detail) {
        // the console signs in with its own form: a Basic challenge would make the browser pop up its own dialog
        boolean console = "XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
        response.setHeader("WWW-Authenticate", console ? CONSOLE_CHALLENGE : CHALLENGE);
        return problem(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", detail);
    }

    /** A problem document (RFC 9457), and the request goes no further. */
    static AuthenticationStatus problem(HttpServletResponse response, int status, String title, String detail) {
        dev.freshet.web.api.Problem.write(response, status, title, detail);
        return AuthenticationStatus.SEND_FAILURE;
    }
}

package dev.freshet.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
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

/**
 * HTTP Basic (RFC 7617) for scripts and the console. Written here rather than taken from {@code @BasicAuthenticationMechanismDefinition}
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

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        if (!context.isProtected()) {
            // the tracker, health, metrics and the console's files need no credentials: whatever a client sends
            // along (a stale password, say) is not checked, so it cannot be refused
            return context.doNothing();
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return refuse(request, response, context, "this needs credentials: HTTP Basic, user admin or viewer");
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
        long wait = throttle.retryAfter(user, address, System.nanoTime());
        if (wait > 0) {
            // not even compared: a guesser learns nothing from a throttled attempt
            response.setHeader("Retry-After", Long.toString(wait));
            return problem(response, 429, "Too Many Requests",
                    "too many failed sign-ins for this user or from this address: try again in " + wait + " s");
        }
        CredentialValidationResult result = identityStores.validate(
                new UsernamePasswordCredential(user, decoded.substring(colon + 1)));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            throttle.succeeded(user, address, System.nanoTime());
            return context.notifyContainerAboutLogin(result);
        }
        throttle.failed(user, address, System.nanoTime());
        return refuse(request, response, context, "wrong user name or password");
    }

    private static AuthenticationStatus refuse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context, String detail) {
        // the console signs in with its own form: a Basic challenge would make the browser pop up its own dialog
        boolean console = "XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
        response.setHeader("WWW-Authenticate", console ? CONSOLE_CHALLENGE : CHALLENGE);
        return problem(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", detail);
    }

    /** A problem document (RFC 9457); {@code detail} is this class's own text, never the client's. */
    static AuthenticationStatus problem(HttpServletResponse response, int status, String title, String detail) {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        try {
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"}");
        } catch (IOException e) {
            // the client went away; the status line says it all
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}

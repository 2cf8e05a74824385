package dev.freshet.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses changing API calls that a page on another site could make a signed-in browser send (issue 10, case 7:
 * a form post or a no-cors {@code fetch} went out with the browser's cached Basic credentials).
 * <ul>
 *   <li>A browser marks where a request comes from: {@code Origin} must be this node's own, and
 *   {@code Sec-Fetch-Site}, when sent, {@code same-origin} (or {@code none}, typed by the user).</li>
 *   <li>A {@code POST} must be one a browser cannot send cross-site without asking the node first (a CORS
 *   preflight, which this node never grants): a body that is not a form or plain text ({@code application/json},
 *   {@code application/x-bittorrent}), or the {@code X-Requested-With} header (any value; the console sends
 *   it, and so must scripts that upload a file as multipart or post without a body).</li>
 * </ul>
 * {@code PUT}, {@code DELETE} and {@code PATCH} always need a preflight, so only the origin rule applies to them.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class CrossSiteGuard extends HttpFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** The types an HTML form or a no-cors fetch may send without a preflight (Fetch standard, "CORS-safelisted"). */
    private static final Set<String> SIMPLE_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String refusal = SAFE.contains(request.getMethod()) ? null : refusal(request);
        if (refusal != null) {
            BasicAuthentication.problem(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    static String refusal(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request.getHeader("Host"))) {
            return "a changing call from another site's page (Origin " + printable(origin) + ") is refused";
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "a changing call from another site's page (Sec-Fetch-Site " + printable(site) + ") is refused";
        }
        if ("POST".equals(request.getMethod()) && request.getHeader("X-Requested-With") == null
                && isSimple(request.getContentType())) {
            return "a POST with a form, text or empty body needs the header X-Requested-With (any value), so that "
                    + "no other site's page can send it: add -H 'X-Requested-With: curl' to a script's call";
        }
        return null;
    }

    private static boolean isSimple(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return SIMPLE_TYPES.contains(type);
    }

    /** Whether {@code origin} (scheme://host[:port]) names the host and port this request was sent to. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            if (o.getHost() == null || (!"http".equals(o.getScheme()) && !"https".equals(o.getScheme()))) {
                return false;
            }
            int port = o.getPort() != -1 ? o.getPort() : "https".equals(o.getScheme()) ? 443 : 80;
            URI h = URI.create(o.getScheme() + "://" + host);
            int hostPort = h.getPort() != -1 ? h.getPort() : "https".equals(o.getScheme()) ? 443 : 80;
            return o.getHost().equalsIgnoreCase(h.getHost()) && port == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?").replace("\"", "'").replace("\\", "/");
    }
}

package dev.freshet.web.audit;

import dev.freshet.control.audit.AuditLog;
import dev.freshet.control.catalog.AuditRecord;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What goes into the audit log from a request: who (the user, or {@code token:<id>}), the role it acted in, the
 * action as method and path with its variable parts named ({@code POST /api/swarms/{infoHash}/pause}), the target
 * (the swarm, office, token or setting), the client's address and the HTTP status. Recording never fails a request.
 */
@ApplicationScoped
public class AuditTrail {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
    private static final Pattern HASH = Pattern.compile("(?<=/)[0-9a-fA-F]{40}(?=/|$)");
    private static final Pattern OFFICE = Pattern.compile("(?<=/api/offices/)[^/]+");
    private static final Pattern TOKEN = Pattern.compile("(?<=/api/tokens/)[^/]+");

    @EJB
    AuditLog log;

    /** A changing call that reached the API, with its result; {@code location}: the Location it answered, if any. */
    public void changed(HttpServletRequest request, int status, String location) {
        String path = request.getRequestURI();
        String target = target(path);
        if (target.isEmpty() && location != null) {
            target = location.substring(location.lastIndexOf('/') + 1); // what a POST created: a swarm, a token
        }
        write(request, request.getMethod() + " " + template(path), target, status);
    }

    /** A call its caller's role may not make (403), before it reached the API. */
    public void forbidden(HttpServletRequest request, String method, String path) {
        write(request, method + " " + template(path), target(path), 403);
    }

    /** Credentials or a token refused (401). */
    public void refusedSignIn(HttpServletRequest request, String what) {
        write(request, "sign-in refused: " + what, "", 401);
    }

    /** A sign-in to the console through the OpenID provider: {@code who} opened a session with {@code role}. */
    public void signedIn(HttpServletRequest request, String who, String role) {
        write(request, who, role, "sign-in (OpenID Connect)", "", 200);
    }

    private void write(HttpServletRequest request, String action, String target, int status) {
        String who = request.getUserPrincipal() == null ? "(anonymous)" : request.getUserPrincipal().getName();
        String role = dev.freshet.control.Roles.highest(request::isUserInRole);
        write(request, who, role, action, target, status);
    }

    private void write(HttpServletRequest request, String who, String role, String action, String target, int status) {
        try {
            log.record(new AuditRecord(System.currentTimeMillis(), who, role, action, target, request.getRemoteAddr(),
                    status));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet could not write to its audit log: " + action, e);
        }
    }

    static String template(String path) {
        String p = HASH.matcher(path).replaceAll("{infoHash}");
        p = OFFICE.matcher(p).replaceAll("{office}");
        return TOKEN.matcher(p).replaceAll("{id}");
    }

    static String target(String path) {
        for (Pattern p : new Pattern[] {HASH, OFFICE, TOKEN}) {
            Matcher m = p.matcher(path);
            if (m.find()) {
                return m.group();
            }
        }
        return path.endsWith("/api/settings") ? "settings" : "";
    }
}

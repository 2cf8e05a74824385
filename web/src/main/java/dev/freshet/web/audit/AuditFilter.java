package dev.freshet.web.audit;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Set;

/**
 * Every call to the API that may change something (any method but GET, HEAD and OPTIONS) goes into the audit log
 * with its result, once it has been answered; reads never do. Calls refused before they reach the API are written
 * where they are refused (sign-in, {@code ForbiddenProblem}).
 */
@WebFilter(urlPatterns = {"/api/*", "/files/*"}, asyncSupported = true) // file downloads stream asynchronously
public class AuditFilter extends HttpFilter {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    AuditTrail trail;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (READS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            trail.changed(request, status, response.getHeader("Location"));
        }
    }
}

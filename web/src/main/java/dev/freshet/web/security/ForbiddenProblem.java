package dev.freshet.web.security;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The error page for 403 (a viewer trying to change something): a problem document, as the rest of the API. */
@WebServlet("/problem/forbidden")
public class ForbiddenProblem extends HttpServlet {
    @jakarta.inject.Inject
    dev.freshet.web.audit.AuditTrail audit;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object uri = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI);
        if (!java.util.Set.of("GET", "HEAD", "OPTIONS").contains(request.getMethod())) { // reads are never logged
            audit.forbidden(request, request.getMethod(), uri == null ? request.getRequestURI() : uri.toString());
        }
        String who = request.getUserPrincipal() == null ? "you" : request.getUserPrincipal().getName();
        dev.freshet.web.api.Problem.write(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden",
                "viewer".equals(who) ? "the viewer may only read; changes take the admin user"
                : request.isUserInRole("publisher") ? "a publisher may read and publish (POST /api/swarms); the rest "
                + "takes an admin" : request.isUserInRole("viewer") ? "a viewer may only read; changes take an admin"
                : "not allowed");
    }
}

package dev.freshet.web.security;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The error page for 403 (a viewer trying to change something): a problem document, as the rest of the API. */
@WebServlet("/problem/forbidden")
public class ForbiddenProblem extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        String who = request.getUserPrincipal() == null ? "you" : request.getUserPrincipal().getName();
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\""
                + ("viewer".equals(who) ? "the viewer may only read; changes take the admin user" : "not allowed")
                + "\"}");
    }
}

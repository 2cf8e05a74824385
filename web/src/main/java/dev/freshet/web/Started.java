package dev.freshet.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Marks the application as started: the container initialises it after every listener, filter and the
 * earlier load-on-startup servlets (JAX-RS among them), just before the application takes requests.
 * Readiness waits for it; the engine's check alone turned UP while security and JAX-RS were still
 * starting, and the first API calls got 404s. The node's reconciliation rounds wait for it too
 * ({@code NodeLifecycle#applicationStarted}). It answers no request itself.
 */
@WebServlet(urlPatterns = "/.freshet-started", loadOnStartup = 10000)
public class Started extends HttpServlet {
    private static volatile boolean started;
    @jakarta.ejb.EJB
    dev.freshet.control.node.NodeLifecycle lifecycle;

    static boolean isStarted() {
        return started;
    }

    @Override
    public void init() {
        started = true;
        lifecycle.applicationStarted();
    }

    @Override
    public void destroy() {
        started = false;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
}

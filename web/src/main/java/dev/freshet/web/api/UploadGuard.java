package dev.freshet.web.api;

import dev.freshet.control.NodeSettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Refuses an upload that declares more bytes than this node takes ({@code freshet.upload.max-bytes}) before any of
 * it is read: JAX-RS would otherwise take the whole body in first. An upload without a length, or that lies, is
 * stopped at the limit while it is stored (see {@code Swarms.receiveUpload}).
 */
@WebFilter(urlPatterns = "/api/swarms", asyncSupported = true)
public class UploadGuard extends HttpFilter {
    @Inject
    NodeSettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if ("POST".equals(request.getMethod()) && declared > settings.maxUploadBytes() + 64 * 1024) {
            response.setHeader("Connection", "close");
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                    + "\"detail\":\"the upload is larger than this node takes (" + settings.maxUploadBytes()
                    + " bytes, freshet.upload.max-bytes)\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}

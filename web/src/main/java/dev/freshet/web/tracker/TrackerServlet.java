package dev.freshet.web.tracker;

import dev.freshet.control.tracker.Announce;
import dev.freshet.control.tracker.Tracker;
import dev.freshet.control.tracker.TrackerAnswer;
import dev.freshet.control.tracker.TrackerRefusal;
import dev.freshet.control.tracker.TrackerResponses;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * BEP 3 announce (with BEP 23 compact peers unless {@code compact=0}) and BEP 48 scrape. Errors are answered
 * as clients expect them: HTTP 200 with a bencoded {@code failure reason}. Open to every client, but for
 * private swarms (BEP 27), which need the key their {@code .torrent}'s tracker URLs carry ({@code auth}).
 */
@WebServlet(urlPatterns = {"/announce", "/scrape"})
public class TrackerServlet extends HttpServlet {
    private static final int MAX_QUERY = 8192;

    @Inject
    Tracker tracker;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body;
        try {
            Map<String, List<byte[]>> q = TrackerQuery.parse(request.getQueryString(), MAX_QUERY);
            body = request.getServletPath().equals("/scrape") ? scrape(q) : announce(q, request);
        } catch (TrackerRefusal e) {
            body = TrackerResponses.failure(e.getMessage());
        }
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] announce(Map<String, List<byte[]>> q, HttpServletRequest request) {
        String infoHash = HexFormat.of().formatHex(TrackerQuery.bytes(q, "info_hash", 20));
        TrackerQuery.bytes(q, "peer_id", 20);
        int port = (int) TrackerQuery.number(q, "port", -1);
        long left = TrackerQuery.number(q, "left", 0);
        int numWant = (int) TrackerQuery.number(q, "numwant", 50);
        String event = TrackerQuery.text(q, "event").orElse("");
        boolean compact = !TrackerQuery.text(q, "compact").orElse("1").equals("0");
        // the address the request came from; a client's own 'ip' is not trusted
        TrackerAnswer a = tracker.announce(new Announce(infoHash, request.getRemoteAddr(), port, left, event, numWant,
                TrackerQuery.text(q, "auth").orElse(null)));
        return TrackerResponses.announce(a, compact);
    }

    private byte[] scrape(Map<String, List<byte[]>> q) {
        List<String> hashes = new ArrayList<>();
        for (byte[] h : q.getOrDefault("info_hash", List.of())) {
            if (h.length != 20) {
                throw new TrackerRefusal("info_hash must be 20 bytes");
            }
            hashes.add(HexFormat.of().formatHex(h));
        }
        return TrackerResponses.scrape(tracker.scrape(hashes, TrackerQuery.text(q, "auth").orElse(null)));
    }
}

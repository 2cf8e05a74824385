package dev.freshet.web.tracker;

import dev.freshet.control.tracker.Announce;
import dev.freshet.control.tracker.Tracker;
import dev.freshet.control.tracker.TrackerAnswer;
import dev.freshet.control.tracker.TrackerRefusal;
import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.Bencode;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        BValue answer;
        try {
            Map<String, List<byte[]>> q = TrackerQuery.parse(request.getQueryString(), MAX_QUERY);
            answer = request.getServletPath().equals("/scrape") ? scrape(q) : announce(q, request);
        } catch (TrackerRefusal e) {
            answer = BValue.BDictionary.of(Map.of("failure reason", BValue.of(e.getMessage())));
        }
        byte[] body = Bencode.encode(answer);
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private BValue announce(Map<String, List<byte[]>> q, HttpServletRequest request) {
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
        Map<String, BValue> d = new TreeMap<>();
        d.put("interval", BValue.of(a.interval()));
        d.put("min interval", BValue.of(a.interval() / 2));
        d.put("complete", BValue.of(a.complete()));
        d.put("incomplete", BValue.of(a.incomplete()));
        if (compact) {
            ByteArrayOutputStream v4 = new ByteArrayOutputStream();
            ByteArrayOutputStream v6 = new ByteArrayOutputStream();
            for (InetSocketAddress p : a.peers()) {
                if (p.getAddress() == null) {
                    continue;
                }
                ByteArrayOutputStream out = p.getAddress() instanceof Inet4Address ? v4 : v6;
                out.writeBytes(p.getAddress().getAddress());
                out.write(p.getPort() >>> 8);
                out.write(p.getPort() & 0xff);
            }
            d.put("peers", BValue.of(v4.toByteArray()));
            if (v6.size() > 0) {
                d.put("peers6", BValue.of(v6.toByteArray()));
            }
        } else {
            List<BValue> list = new ArrayList<>();
            for (InetSocketAddress p : a.peers()) {
                list.add(BValue.BDictionary.of(Map.of("ip", BValue.of(p.getHostString()), "port", BValue.of(p.getPort()))));
            }
            d.put("peers", new BValue.BList(list));
        }
        return BValue.BDictionary.of(d);
    }

    private BValue scrape(Map<String, List<byte[]>> q) {
        List<String> hashes = new ArrayList<>();
        for (byte[] h : q.getOrDefault("info_hash", List.of())) {
            if (h.length != 20) {
                throw new TrackerRefusal("info_hash must be 20 bytes");
            }
            hashes.add(HexFormat.of().formatHex(h));
        }
        Map<String, BValue> files = new TreeMap<>();
        tracker.scrape(hashes, TrackerQuery.text(q, "auth").orElse(null)).forEach((hash, c) -> files.put(new String(HexFormat.of().parseHex(hash),
                java.nio.charset.StandardCharsets.ISO_8859_1), BValue.BDictionary.of(Map.of("complete", BValue.of(c[0]),
                "incomplete", BValue.of(c[1]), "downloaded", BValue.of(c[2])))));
        return BValue.BDictionary.of(Map.of("files", BValue.BDictionary.of(files)));
    }
}

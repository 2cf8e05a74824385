package dev.freshet.engine.tracker;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.BValue.BDictionary;
import dev.freshet.engine.bencode.Bencode;
import dev.freshet.engine.bencode.BencodeException;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.wire.PeerId;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Announces to HTTP trackers. Blocking; call it from a pool thread. Thread-safe. */
public final class HttpTrackerClient {
    /** Answers larger than this are refused (a compact list of 200 peers is 1.2 KB). */
    public static final int MAX_RESPONSE_BYTES = 1 << 20;
    private final int timeoutMillis;

    public HttpTrackerClient(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public enum Event {
        NONE(""), STARTED("started"), COMPLETED("completed"), STOPPED("stopped");

        final String text;

        Event(String text) {
            this.text = text;
        }
    }

    public record AnnounceRequest(InfoHash infoHash, PeerId peerId, int port, long uploaded, long downloaded, long left,
                                  Event event, int numWant) {
    }

    public record AnnounceResponse(int interval, List<InetSocketAddress> peers, Optional<String> warning) {
        public AnnounceResponse {
            peers = List.copyOf(peers);
        }
    }

    public AnnounceResponse announce(String announceUrl, AnnounceRequest r) throws TrackerException {
        String url = announceUrl + (announceUrl.contains("?") ? "&" : "?")
                + "info_hash=" + percentEncode(r.infoHash().bytes())
                + "&peer_id=" + percentEncode(r.peerId().bytes())
                + "&port=" + r.port()
                + "&uploaded=" + r.uploaded()
                + "&downloaded=" + r.downloaded()
                + "&left=" + r.left()
                + "&compact=1&no_peer_id=1"
                + "&numwant=" + r.numWant()
                + (r.event() == Event.NONE ? "" : "&event=" + r.event().text);
        byte[] body;
        try {
            URL u = URI.create(url).toURL();
            if (!u.getProtocol().equals("http") && !u.getProtocol().equals("https")) {
                throw new TrackerException("not an HTTP tracker: " + announceUrl);
            }
            HttpURLConnection c = (HttpURLConnection) u.openConnection();
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setInstanceFollowRedirects(false);
            int status = c.getResponseCode();
            if (status != 200) {
                throw new TrackerException("tracker " + announceUrl + " answered HTTP " + status);
            }
            try (InputStream in = c.getInputStream()) {
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new TrackerException("tracker answer exceeds " + MAX_RESPONSE_BYTES + " bytes");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new TrackerException("cannot reach tracker " + announceUrl + ": " + e.getMessage(), e);
        }
        return parse(body);
    }

    static AnnounceResponse parse(byte[] body) throws TrackerException {
        BValue v;
        try {
            v = Bencode.decode(body);
        } catch (BencodeException e) {
            throw new TrackerException("malformed tracker answer: " + e.getMessage(), e);
        }
        if (!(v instanceof BDictionary d)) {
            throw new TrackerException("tracker answer is not a dictionary");
        }
        Optional<String> failure = d.string("failure reason").map(BValue.BString::utf8);
        if (failure.isPresent()) {
            throw new TrackerException("tracker refused: " + failure.get());
        }
        int interval = (int) Math.max(1, Math.min(d.integer("interval").orElse(1800L), 86400));
        List<InetSocketAddress> peers = new ArrayList<>();
        Optional<BValue> p = d.get("peers");
        if (p.isPresent() && p.get() instanceof BValue.BString s) {
            compact(s.bytes(), 4, peers);
        } else if (p.isPresent() && p.get() instanceof BValue.BList l) {
            for (BValue e : l.values()) {
                if (e instanceof BDictionary pd && pd.string("ip").isPresent() && pd.integer("port").isPresent()) {
                    long port = pd.integer("port").get();
                    if (port > 0 && port <= 0xffff) {
                        try {
                            InetAddress a = InetAddress.getByName(literal(pd.string("ip").get().utf8()));
                            peers.add(new InetSocketAddress(a, (int) port));
                        } catch (UnknownHostException | IllegalArgumentException ignored) {
                            // a peer given by name or junk: skip it, do not resolve names from a tracker
                        }
                    }
                }
            }
        }
        d.string("peers6").ifPresent(s -> compact(s.bytes(), 16, peers));
        return new AnnounceResponse(interval, peers, d.string("warning message").map(BValue.BString::utf8));
    }

    private static String literal(String ip) {
        // only numeric addresses: never let a tracker answer trigger name resolution
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("not a numeric address");
        }
        return ip;
    }

    private static void compact(byte[] bytes, int addressLength, List<InetSocketAddress> out) {
        int entry = addressLength + 2;
        for (int i = 0; i + entry <= bytes.length; i += entry) {
            byte[] addr = java.util.Arrays.copyOfRange(bytes, i, i + addressLength);
            int port = ((bytes[i + addressLength] & 0xff) << 8) | (bytes[i + addressLength + 1] & 0xff);
            if (port == 0) {
                continue;
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(addr), port));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** Percent-encodes raw bytes (info-hash, peer id) for a query string; unreserved characters stay. */
    public static String percentEncode(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 3);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return b.toString();
    }
}

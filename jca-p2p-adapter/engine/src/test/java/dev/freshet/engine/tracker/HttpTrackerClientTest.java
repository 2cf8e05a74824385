package dev.freshet.engine.tracker;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real HTTP server on loopback. */
class HttpTrackerClientTest {
    private HttpServer server;
    private final AtomicReference<String> query = new AtomicReference<>();

    private String serve(byte[] answer) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/announce", ex -> {
            query.set(ex.getRequestURI().getRawQuery());
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static HttpTrackerClient.AnnounceRequest request() {
        byte[] hash = new byte[20];
        hash[0] = (byte) 0xff;
        hash[1] = ' ';
        return new HttpTrackerClient.AnnounceRequest(InfoHash.of(hash), PeerId.of("-FR0001-abcdefghijkl".getBytes()), 6881,
                1, 2, 3, HttpTrackerClient.Event.STARTED, 50);
    }

    @Test
    void sendsRawBytesPercentEncodedAndReadsCompactPeers() throws Exception {
        byte[] body = concat("d8:intervali900e5:peers12:".getBytes(StandardCharsets.US_ASCII),
                new byte[] {127, 0, 0, 2, 0x1a, (byte) 0xe1, 127, 0, 0, 3, 0, 80}, "e".getBytes(StandardCharsets.US_ASCII));
        String url = serve(body);
        HttpTrackerClient.AnnounceResponse r = new HttpTrackerClient(5000).announce(url, request());
        assertThat(r.interval()).isEqualTo(900);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.2", 6881), new InetSocketAddress("127.0.0.3", 80));
        assertThat(query.get()).contains("info_hash=%FF%20%00%00").contains("peer_id=-FR0001-abcdefghijkl")
                .contains("port=6881").contains("left=3").contains("compact=1").contains("event=started");
    }

    @Test
    void readsTheOlderDictionaryPeerListButNeverResolvesNames() throws Exception {
        String url = serve("d8:intervali60e5:peersld2:ip9:127.0.0.44:porti7000eed2:ip11:example.com4:porti1eeee"
                .getBytes(StandardCharsets.US_ASCII));
        HttpTrackerClient.AnnounceResponse r = new HttpTrackerClient(5000).announce(url, request());
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.4", 7000));
    }

    @Test
    void failureReasonAndGarbageAreErrors() throws Exception {
        String url = serve("d14:failure reason15:unknown torrente".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> new HttpTrackerClient(5000).announce(url, request()))
                .isInstanceOf(TrackerException.class).hasMessageContaining("unknown torrent");
        assertThatThrownBy(() -> HttpTrackerClient.parse("<html>".getBytes())).hasMessageContaining("malformed tracker answer");
        assertThatThrownBy(() -> new HttpTrackerClient(2000).announce("http://127.0.0.1:1/announce", request()))
                .isInstanceOf(TrackerException.class).hasMessageContaining("cannot reach");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A peer's advertised request queue depth (BEP 10 {@code reqq}) is never exceeded, also after rate-based tuning. */
class RequestQueueDepthTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    private static void send(OutputStream out, Message m) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
        MessageCodec.encode(m, b);
        out.write(b.array());
    }

    @Test
    void neverMoreOutstandingRequestsThanThePeersReqq() throws Exception {
        TestData.write(dir.resolve("seed/data"), 41, 4_000_000);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        int reqq = 4;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EngineHarness.Node leecher = harness.start();
            leecher.add(m, dir.resolve("leech"), SwarmOptions.defaults()
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", server.getLocalPort()))));
            try (Socket s = server.accept()) {
                s.setSoTimeout(200);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
                Handshake.ours(m.infoHash(), PeerId.generate(new Random(2))).encode(hs);
                out.write(hs.array());
                send(out, new Message.Extended(0, new ExtensionHandshake(Map.of(), Optional.of("shallow"),
                        Optional.of(reqq), Optional.empty(), Optional.empty()).encode()));
                send(out, new Message.HaveAll());
                send(out, new Message.Unchoke());

                // read for a few seconds, answering nothing: rate-based tuning runs every second meanwhile
                MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);
                ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();
                in.readNBytes(Handshake.LENGTH);
                int requests = 0;
                long end = System.nanoTime() + 3_500_000_000L;
                while (System.nanoTime() < end) {
                    Message msg;
                    while ((msg = codec.decode(buffer)) != null) {
                        if (msg instanceof Message.Request) {
                            requests++;
                        }
                    }
                    buffer.compact();
                    byte[] chunk = new byte[4096];
                    try {
                        int n = in.read(chunk);
                        if (n < 0) {
                            break;
                        }
                        buffer.put(chunk, 0, n);
                    } catch (SocketTimeoutException quiet) {
                        // nothing sent: fine
                    }
                    buffer.flip();
                }
                assertThat(requests).as("requests in flight with reqq=%d", reqq).isPositive().isLessThanOrEqualTo(reqq);
            }
        }
    }
}

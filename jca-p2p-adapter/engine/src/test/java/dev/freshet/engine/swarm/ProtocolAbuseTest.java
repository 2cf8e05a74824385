package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that breaks the protocol is disconnected, and the engine keeps serving everyone else. Each
 * case speaks raw bytes over a real socket to a seeding engine.
 */
class ProtocolAbuseTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    private EngineHarness.Node seed;
    private Metainfo metainfo;
    private InfoHash hash;

    @BeforeEach
    void seed() throws Exception {
        TestData.write(dir.resolve("seed/a"), 5, 3_000_000, 1_000_001);
        metainfo = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
        seed = harness.start();
        hash = seed.add(metainfo, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.has(EngineEvent.SwarmStarted.class, e -> true));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(seed.address().getAddress(), seed.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] handshake(InfoHash hash) {
        ByteBuffer b = ByteBuffer.allocate(Handshake.LENGTH);
        Handshake.ours(hash, PeerId.generate(new Random())).encode(b);
        return b.array();
    }

    private static byte[] message(Message m) {
        ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
        MessageCodec.encode(m, b);
        return b.array();
    }

    /** Reads until the engine closes the connection; fails if it stays open. */
    private static void assertClosedByEngine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        try {
            while (in.read(buf) >= 0) {
                // drain what the engine sent before closing
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the engine kept the connection open", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    /** Handshake, then skip the engine's handshake and first messages. */
    private Socket activeConnection() throws IOException {
        Socket s = connect();
        s.getOutputStream().write(handshake(hash));
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] theirs = new byte[Handshake.LENGTH];
        in.readFully(theirs);
        return s;
    }

    @Test
    void garbageInsteadOfAHandshakeIsClosed() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertClosedByEngine(s);
        }
        stillServes();
    }

    @Test
    void unknownInfoHashIsClosedWithoutAReply() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(handshake(InfoHash.fromHex("11".repeat(20))));
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        stillServes();
    }

    @Test
    void oversizedMessageIsClosed() throws Exception {
        try (Socket s = activeConnection()) {
            s.getOutputStream().write(HexFormat.of().parseHex("0100000007"));
            assertClosedByEngine(s);
        }
        stillServes();
    }

    @Test
    void requestLargerThanSixteenKibibytesIsClosed() throws Exception {
        try (Socket s = activeConnection()) {
            OutputStream out = s.getOutputStream();
            out.write(message(new Message.Interested()));
            out.write(HexFormat.of().parseHex("0000000d06" + "00000000" + "00000000" + "00020000"));
            assertClosedByEngine(s);
        }
        stillServes();
    }

    @Test
    void requestOutsideThePieceIsClosed() throws Exception {
        try (Socket s = activeConnection()) {
            s.getOutputStream().write(message(new Message.Request(0, 64 * 1024 - 100, 16384)));
            assertClosedByEngine(s);
        }
        stillServes();
    }

    @Test
    void bitfieldOfTheWrongLengthIsClosed() throws Exception {
        try (Socket s = activeConnection()) {
            s.getOutputStream().write(message(new Message.Bitfield(new byte[3])));
            assertClosedByEngine(s);
        }
        stillServes();
    }

    @Test
    void haveForAPieceThatDoesNotExistIsClosed() throws Exception {
        try (Socket s = activeConnection()) {
            s.getOutputStream().write(message(new Message.Have(metainfo.info().pieceCount())));
            assertClosedByEngine(s);
        }
        stillServes();
    }

    @Test
    void aLegalMessageLargerThanTheReadBufferIsReadAndTheConnectionGoesOn() throws Exception {
        try (Socket s = activeConnection()) {
            OutputStream out = s.getOutputStream();
            // an unknown extension message of 200 KiB (the limit is 256 KiB, the read buffer 128 KiB)
            out.write(message(new Message.Extended(77, new byte[200 * 1024])));
            out.write(message(new Message.Interested()));
            DataInputStream in = new DataInputStream(s.getInputStream());
            // it is still connected: the seed unchokes it and serves a block it asks for
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                byte id = in.readByte();
                if (id == Message.UNCHOKE) {
                    break;
                }
                in.skipNBytes(length - 1);
            }
            out.write(message(new Message.Request(0, 0, 16384)));
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                if (in.readByte() == Message.PIECE) {
                    assertThat(length).isEqualTo(9 + 16384);
                    break;
                }
                in.skipNBytes(length - 1);
            }
        }
        stillServes();
    }

    @Test
    void randomBytesAfterTheHandshakeNeverCrashTheEngine() throws Exception {
        Random r = new Random(99);
        for (int i = 0; i < 20; i++) {
            try (Socket s = activeConnection()) {
                byte[] junk = new byte[1 + r.nextInt(300)];
                r.nextBytes(junk);
                s.getOutputStream().write(junk);
                s.shutdownOutput();
                assertClosedByEngine(s);
            }
        }
        stillServes();
    }

    /** A real leecher still gets a correct copy from the seed that was just abused. */
    private void stillServes() throws Exception {
        EngineHarness.Node leecher = harness.start();
        leecher.add(metainfo, dir.resolve("leech"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("leech"), metainfo);
        assertThat(seed.status(hash).state()).isEqualTo(SwarmState.SEEDING);
    }
}

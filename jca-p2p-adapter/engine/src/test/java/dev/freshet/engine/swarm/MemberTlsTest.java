package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.tls.PeerIdentity;
import dev.freshet.engine.tls.PeerTls;
import dev.freshet.engine.tls.TestIdentities;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: the members of a cluster speak TLS 1.3 with each other, both sides showing a pinned certificate, on the
 * same peer port where outside clients speak plain BitTorrent. Real sockets on loopback; a tap between two members
 * records what crosses the wire.
 */
class MemberTlsTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();
    @TempDir
    Path dir;
    private final List<Tap> taps = new ArrayList<>();

    @AfterEach
    void closeTaps() throws IOException {
        for (Tap t : taps) {
            t.close();
        }
    }

    private record Member(EngineHarness.Node node, PeerTls tls, PeerId peerId) {
        SecureMember at(InetSocketAddress address) {
            return new SecureMember(address, peerId, tls.fingerprint());
        }
    }

    private Member member(PeerIdentity identity) throws Exception {
        return member(identity, EngineHarness.config());
    }

    private Member member(PeerIdentity identity, EngineConfig.Builder config) throws Exception {
        PeerTls tls = PeerTls.of(identity);
        PeerId id = PeerId.generate(new Random());
        return new Member(harness.start(config.peerId(id).peerTls(tls)), tls, id);
    }

    private Metainfo seedOn(Member seed, long size) throws Exception {
        TestData.write(dir.resolve("seed/data"), 7, size);
        Metainfo m = TestData.torrentOf(dir.resolve("seed/data"), 256 * 1024);
        seed.node().add(m, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.node().status(m.infoHash()).state() == SwarmState.SEEDING);
        return m;
    }

    @Test
    void membersTradeOverTlsAndTheWireShowsNoBitTorrent() throws Exception {
        Member a = member(PeerIdentity.generate("a", 30));
        Member b = member(PeerIdentity.generate("b", 30));
        Metainfo m = seedOn(a, 6_000_000);
        Tap tap = tap(a.node().address());
        a.node().engine.secureMembers(List.of(b.at(b.node().address()))).join();
        b.node().engine.secureMembers(List.of(a.at(tap.address()))).join();
        b.node().add(m, dir.resolve("b"), SwarmOptions.defaults());
        b.node().engine.addPeers(m.infoHash(), List.of(tap.address())).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.node().status(m.infoHash()).state() == SwarmState.SEEDING);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("b"), m);

        byte[] up = tap.toServer();
        byte[] down = tap.toClient();
        assertThat(up[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
        assertThat(down[0]).isEqualTo((byte) 0x16);
        assertThat(new String(up, StandardCharsets.ISO_8859_1)).doesNotContain("BitTorrent protocol");
        assertThat(new String(down, StandardCharsets.ISO_8859_1)).doesNotContain("BitTorrent protocol");
        assertThat(down.length).as("the data crossed the tap").isGreaterThan(6_000_000);
        // no block of the file in clear either: a 64-byte run of its first piece
        byte[] original = java.nio.file.Files.readAllBytes(dir.resolve("seed/data/file0"));
        String sample = new String(original, 100_000, 64, StandardCharsets.ISO_8859_1);
        assertThat(new String(down, StandardCharsets.ISO_8859_1)).doesNotContain(sample);
    }

    /** A connection per swarm: a member that dials another for one swarm after another resumes its TLS session. */
    @Test
    void aMemberThatDialsAgainResumesItsSession() throws Exception {
        Member a = member(PeerIdentity.generate("a", 30));
        Member b = member(PeerIdentity.generate("b", 30));
        a.node().engine.secureMembers(List.of(b.at(b.node().address()))).join();
        b.node().engine.secureMembers(List.of(a.at(a.node().address()))).join();
        long[] before = {a.tls().certificatesChecked(), b.tls().certificatesChecked()};
        for (int i = 0; i < 4; i++) {
            TestData.write(dir.resolve("seed" + i + "/data"), 7 + i, 300_000);
            Metainfo m = TestData.torrentOf(dir.resolve("seed" + i + "/data"), 256 * 1024);
            a.node().add(m, dir.resolve("seed" + i), SwarmOptions.defaults());
            await().atMost(Duration.ofSeconds(20)).until(() -> a.node().status(m.infoHash()).state() == SwarmState.SEEDING);
            b.node().add(m, dir.resolve("b" + i), SwarmOptions.defaults());
            b.node().engine.addPeers(m.infoHash(), List.of(a.node().address())).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> b.node().status(m.infoHash()).state() == SwarmState.SEEDING);
        }
        // one full handshake (each side checks the other's certificate once), three resumed
        assertThat(a.tls().certificatesChecked() - before[0]).isEqualTo(1);
        assertThat(b.tls().certificatesChecked() - before[1]).isEqualTo(1);
    }

    /**
     * A zero-copy sender (which copies blocks into its write buffer for a TLS peer: transferTo into a TLS channel
     * goes 8 KiB at a time through a fresh heap buffer) to a member whose download is rate-limited: decrypted bytes
     * wait beyond what its budget takes, and must be read on without the selector.
     */
    @Test
    void zeroCopySendersAndRateLimitedReceiversWorkOverTls() throws Exception {
        Member a = member(PeerIdentity.generate("a", 30), EngineHarness.config().zeroCopy(true));
        Member b = member(PeerIdentity.generate("b", 30), EngineHarness.config().limits(3_000_000, 0));
        Metainfo m = seedOn(a, 4_000_000);
        a.node().engine.secureMembers(List.of(b.at(b.node().address()))).join();
        b.node().engine.secureMembers(List.of(a.at(a.node().address()))).join();
        b.node().add(m, dir.resolve("b"), SwarmOptions.defaults());
        b.node().engine.addPeers(m.infoHash(), List.of(a.node().address())).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.node().status(m.infoHash()).state() == SwarmState.SEEDING);
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve("b"), m);
    }

    @Test
    void outsideClientsKeepPlainBitTorrentOnTheSamePortButNotWithAMembersPeerId() throws Exception {
        Member a = member(PeerIdentity.generate("a", 30));
        Member b = member(PeerIdentity.generate("b", 30));
        Metainfo m = seedOn(a, 1_000_000);
        a.node().engine.secureMembers(List.of(b.at(b.node().address()))).join();
        assertThat(plainHandshake(a.node().address(), m.infoHash(), PeerId.generate(new Random())))
                .as("an outside client is answered in plain BitTorrent").isEqualTo(19);
        assertThat(plainHandshake(a.node().address(), m.infoHash(), b.peerId()))
                .as("a member's peer id over plain BitTorrent is a downgrade: closed").isEqualTo(-1);
    }

    @Test
    void aForeignOrExpiredCertificateIsRefusedAndNothingIsTraded() throws Exception {
        Member a = member(PeerIdentity.generate("a", 30));
        Member stranger = member(PeerIdentity.generate("stranger", 30));
        Member expired = member(TestIdentities.expired());
        Member b = member(PeerIdentity.generate("b", 30));
        Metainfo m = seedOn(a, 2_000_000);
        // a trusts b and the expired one; the stranger is in nobody's directory
        a.node().engine.secureMembers(List.of(b.at(b.node().address()), expired.at(expired.node().address()))).join();
        for (Member x : List.of(stranger, expired)) {
            x.node().engine.secureMembers(List.of(a.at(a.node().address()))).join();
            x.node().add(m, dir.resolve(x.tls().fingerprint().substring(0, 8)), SwarmOptions.defaults());
            x.node().engine.addPeers(m.infoHash(), List.of(a.node().address())).join();
        }
        // b, trusted both ways, is the control: it completes while the others get nothing
        b.node().engine.secureMembers(List.of(a.at(a.node().address()))).join();
        b.node().add(m, dir.resolve("b"), SwarmOptions.defaults());
        b.node().engine.addPeers(m.infoHash(), List.of(a.node().address())).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.node().status(m.infoHash()).state() == SwarmState.SEEDING);
        Thread.sleep(2000);
        for (Member x : List.of(stranger, expired)) {
            assertThat(x.node().status(m.infoHash()).verifiedPieces()).isZero();
            assertThat(x.node().has(EngineEvent.PeerConnected.class, e -> true)).isFalse();
        }
        assertThat(a.node().events(EngineEvent.PeerConnected.class)).extracting(EngineEvent.PeerConnected::peerId)
                .containsOnly(b.peerId().toString());
        // and a does not dial a member's address in plain: a's TLS dial to a plain-only engine fails, no fallback
        EngineHarness.Node plain = harness.start();
        plain.add(m, dir.resolve("plain"), SwarmOptions.defaults());
        a.node().engine.secureMembers(List.of(new SecureMember(plain.address(), PeerId.generate(new Random()),
                PeerIdentity.generate("p", 30).fingerprint()))).join();
        a.node().engine.addPeers(m.infoHash(), List.of(plain.address())).join();
        Thread.sleep(2000);
        assertThat(plain.status(m.infoHash()).verifiedPieces()).isZero();
    }

    /** Sends a plain BitTorrent handshake with {@code id}; answers the first byte back (-1: closed). */
    private static int plainHandshake(InetSocketAddress to, InfoHash hash, PeerId id) throws IOException {
        try (Socket s = new Socket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(10_000);
            ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
            Handshake.ours(hash, id).encode(hs);
            s.getOutputStream().write(hs.array());
            InputStream in = s.getInputStream();
            int first = in.read();
            if (first != 19) {
                return first;
            }
            // the engine answers its own handshake first, then checks ours: read on to see whether it closes
            byte[] rest = new byte[Handshake.LENGTH - 1];
            int n = in.readNBytes(rest, 0, rest.length);
            if (n < rest.length) {
                return -1;
            }
            try {
                int next = in.read(); // a bitfield or have-none follows on an accepted connection
                return next < 0 ? -1 : 19;
            } catch (java.net.SocketException reset) {
                return -1;
            }
        }
    }

    private Tap tap(InetSocketAddress server) throws IOException {
        Tap t = new Tap(server);
        taps.add(t);
        return t;
    }

    /** A TCP relay on loopback that keeps everything each way. */
    private static final class Tap implements AutoCloseable {
        private final ServerSocket listening = new ServerSocket(0, 5, EngineHarness.loopback());
        private final ByteArrayOutputStream up = new ByteArrayOutputStream();
        private final ByteArrayOutputStream down = new ByteArrayOutputStream();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        Tap(InetSocketAddress server) throws IOException {
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = listening.accept();
                        Socket upstream = new Socket(server.getAddress(), server.getPort());
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client.getInputStream(), upstream.getOutputStream(), up);
                        pump(upstream.getInputStream(), client.getOutputStream(), down);
                    }
                } catch (IOException closed) {
                    // the tap is closed
                }
            }, "tap");
            accept.setDaemon(true);
            accept.start();
        }

        private static void pump(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (copy) {
                            copy.write(buf, 0, n);
                        }
                        out.write(buf, 0, n);
                    }
                } catch (IOException closed) {
                    // one side went away
                }
            }, "tap-pump");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(listening.getInetAddress(), listening.getLocalPort());
        }

        byte[] toServer() {
            synchronized (up) {
                return up.toByteArray();
            }
        }

        byte[] toClient() {
            synchronized (down) {
                return down.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            listening.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}

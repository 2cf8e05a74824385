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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 (fix first), the cases an outsider on the peer port can cause: each test speaks raw bytes to a
 * real engine over loopback and then checks that a real leecher still gets a correct copy.
 */
class Issue10HostilePeersTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @TempDir
    Path dir;

    private Metainfo metainfo;

    @BeforeEach
    void data() throws Exception {
        TestData.write(dir.resolve("seed/a"), 10, 2_000_000, 500_001);
        metainfo = TestData.torrentOf(dir.resolve("seed/a"), 64 * 1024);
    }

    private EngineHarness.Node seed(EngineConfig.Builder config) throws Exception {
        EngineHarness.Node seed = harness.start(config);
        seed.add(metainfo, dir.resolve("seed"), SwarmOptions.defaults());
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.has(EngineEvent.SwarmStarted.class, e -> true));
        return seed;
    }

    /** Case 1: requests while choked, never reading the rejects. Before the fix the seed queued every reject. */
    @Test
    void case1_aPeerThatSendsButNeverReadsIsDisconnectedNotBuffered() throws Exception {
        EngineHarness.Node seed = seed(EngineHarness.config());
        byte[] requests = new byte[1000 * 17];
        ByteBuffer b = ByteBuffer.wrap(requests);
        for (int i = 0; i < 1000; i++) {
            MessageCodec.encode(new Message.Request(i % (metainfo.info().pieceCount() - 1), 0, 16384), b);
        }
        long sent = 0;
        boolean cut = false;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(seed.address());
            OutputStream out = s.getOutputStream();
            out.write(handshake(metainfo.infoHash(), new Random(1)));
            // 64 MiB of requests, each answered by a 17-byte reject (BEP 6) that this peer never reads
            while (sent < 64L << 20) {
                out.write(requests);
                sent += requests.length;
            }
        } catch (IOException reset) {
            cut = true;
        }
        assertThat(cut).as("the seed kept the connection that never reads (" + sent + " bytes of requests taken)")
                .isTrue();
        assertThat(sent).isLessThan(48L << 20);
        assertThat(seed.engine.buffersInUse()).isLessThan(8);
        stillServes(seed, "leech1");
    }

    /** Smaller case: asking for the same block again and again must not take more than the torrent twice. */
    @Test
    void aPeerAskingForTheSameBlockOverAndOverIsCutOffAfterTwiceTheTorrent() throws Exception {
        EngineHarness.Node seed = seed(EngineHarness.config());
        long taken = 0;
        try (Socket s = new Socket(seed.address().getAddress(), seed.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(handshake(metainfo.infoHash(), new Random(2)));
            in.readFully(new byte[Handshake.LENGTH]);
            out.write(message(new Message.Interested()));
            awaitMessage(in, Message.UNCHOKE);
            byte[] same = message(new Message.Request(0, 0, 16384));
            try {
                for (int round = 0; round < 2_000; round++) { // 2000 × 16 KiB = 13 × the torrent
                    for (int i = 0; i < 8; i++) {
                        out.write(same);
                    }
                    for (int i = 0; i < 8; i++) {
                        awaitMessage(in, Message.PIECE);
                        taken += 16384;
                    }
                }
            } catch (IOException closed) {
                // cut off: what we measure is how much it took before
            }
        }
        assertThat(taken).isLessThanOrEqualTo(2 * metainfo.info().totalLength() + (4L << 20) + 8 * 16384);
        stillServes(seed, "leech2");
    }

    /** Case 4: outsiders hold every slot of the swarm with keep-alives; a peer of the cluster still gets in. */
    @Test
    void case4_outsidersHoldingEverySlotDoNotStarveAPeerOfTheCluster() throws Exception {
        EngineHarness.Node seed = seed(EngineHarness.config().maxPeersPerSwarm(8));
        List<Socket> squatters = squat(seed, 8);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> seed.status(metainfo.infoHash()).peers().size() == 8);
            EngineHarness.Node member = harness.start();
            seed.engine.preferPeers(List.of(member.engine.config().peerId())).get(5, TimeUnit.SECONDS);
            member.add(metainfo, dir.resolve("member"), SwarmOptions.defaults().withPeers(List.of(seed.address())));
            await().atMost(Duration.ofSeconds(60)).until(() -> member.has(EngineEvent.SwarmComplete.class, e -> true));
            TestData.assertIdentical(dir.resolve("seed"), dir.resolve("member"), metainfo);
        } finally {
            for (Socket s : squatters) {
                s.close();
            }
        }
    }

    /** Case 4: an outsider gets the slot of one that never moved a block, once that one has been idle long enough. */
    @Test
    void case4_idleSquattersGiveTheirSlotsToANewPeer() throws Exception {
        EngineHarness.Node seed = seed(EngineHarness.config().maxPeersPerSwarm(8).evictIdleAfter(Duration.ofSeconds(1)));
        List<Socket> squatters = squat(seed, 8);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> seed.status(metainfo.infoHash()).peers().size() == 8);
            Thread.sleep(1500);
            stillServes(seed, "newcomer");
        } finally {
            for (Socket s : squatters) {
                s.close();
            }
        }
    }

    /**
     * Case 4: connections that never send a handshake, opened again and again, keep the connection table full;
     * a real peer still gets in.
     */
    @Test
    void case4_halfOpenConnectionsDoNotFillTheTableForGood() throws Exception {
        EngineHarness.Node seed = seed(EngineHarness.config().maxConnections(20));
        java.util.concurrent.atomic.AtomicBoolean attacking = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread attacker = new Thread(() -> {
            // keeps 40 connections that never say anything, replacing each one the engine closes
            List<Socket> open = new ArrayList<>();
            try {
                while (attacking.get()) {
                    for (var it = open.iterator(); it.hasNext(); ) {
                        Socket s = it.next();
                        try {
                            if (s.getInputStream().read() < 0) {
                                it.remove();
                                s.close();
                            }
                        } catch (java.net.SocketTimeoutException alive) {
                            // still held by the engine
                        } catch (IOException reset) {
                            it.remove();
                            s.close();
                        }
                    }
                    while (open.size() < 40) {
                        Socket s = new Socket(seed.address().getAddress(), seed.address().getPort());
                        s.setSoTimeout(1);
                        open.add(s);
                    }
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException stopped) {
                // the test ends the attack
            } finally {
                for (Socket s : open) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        });
        attacker.setDaemon(true);
        attacker.start();
        try {
            Thread.sleep(500);
            stillServes(seed, "leech3");
        } finally {
            attacking.set(false);
            attacker.join(5000);
        }
    }

    /**
     * Case 3: bytes flipped in a verified file while the node was stopped. The resume data says every piece is
     * valid, but the file changed after it was recorded: its pieces are checked, and the damaged one is fetched
     * again instead of being served.
     */
    @Test
    void case3_bytesChangedAtRestAreCheckedAtStartNotServed() throws Exception {
        Path file = dir.resolve("seed/a/file0");
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, metainfo.info().pieceCount());
        long recordedAt = System.currentTimeMillis();
        Thread.sleep(20);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 100_000); // inside piece 1
        }
        EngineHarness.Node node = harness.start();
        InfoHash hash = node.add(metainfo, dir.resolve("seed"), SwarmOptions.defaults().withResumePieces(all, recordedAt));
        await().atMost(Duration.ofSeconds(20)).until(() -> node.has(EngineEvent.SwarmStarted.class, e -> true));
        EngineEvent.SwarmStarted started = node.events(EngineEvent.SwarmStarted.class).get(0);
        assertThat(started.verified().get(1)).as("the damaged piece").isFalse();
        assertThat(started.verifiedPieces()).isEqualTo(metainfo.info().pieceCount() - 1);
        assertThat(node.status(hash).state()).isEqualTo(SwarmState.DOWNLOADING);

        // files untouched since the record are trusted as before (no re-hash): the second file's pieces
        EngineHarness.Node again = harness.start();
        java.util.BitSet secondFile = new java.util.BitSet();
        secondFile.set(metainfo.info().pieceCount() - 2, metainfo.info().pieceCount());
        TestData.write(dir.resolve("other/a"), 10, 2_000_000, 500_001);
        Path second = dir.resolve("other/a/sub/file1");
        // damage the second file without moving its time past the record: the resume data is trusted then
        try (var ch = java.nio.channels.FileChannel.open(second, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {9}), 500_000); // in the last piece
        }
        long later = System.currentTimeMillis() + 1000;
        again.add(metainfo, dir.resolve("other"), SwarmOptions.defaults().withResumePieces(secondFile, later));
        await().atMost(Duration.ofSeconds(20)).until(() -> again.has(EngineEvent.SwarmStarted.class, e -> true));
        assertThat(again.events(EngineEvent.SwarmStarted.class).get(0).verified().get(metainfo.info().pieceCount() - 1))
                .as("a file older than the record is trusted without reading it").isTrue();
    }

    /** Smaller: a symbolic link planted where a download goes stops the swarm with an error, not a retry loop. */
    @Test
    void aPlantedSymbolicLinkStopsTheSwarmWithAClearError() throws Exception {
        EngineHarness.Node seed = seed(EngineHarness.config());
        Path target = dir.resolve("elsewhere/file0");
        java.nio.file.Files.createDirectories(target.getParent());
        java.nio.file.Files.writeString(target, "not yours");
        java.nio.file.Files.createDirectories(dir.resolve("planted/a"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("planted/a/file0"), target);
        EngineHarness.Node leecher = harness.start();
        InfoHash hash = leecher.add(metainfo, dir.resolve("planted"),
                SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(30)).until(() -> leecher.has(EngineEvent.SwarmError.class, e -> true));
        assertThat(leecher.status(hash).state()).isEqualTo(SwarmState.ERROR);
        assertThat(leecher.status(hash).error()).contains("symbolic link");
        assertThat(java.nio.file.Files.readString(target)).isEqualTo("not yours");
    }

    /** Connections that handshake and then only send keep-alives (from a thread of their own, every 200 ms). */
    private List<Socket> squat(EngineHarness.Node seed, int n) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(seed.address().getAddress(), seed.address().getPort());
            s.getOutputStream().write(handshake(metainfo.infoHash(), random));
            sockets.add(s);
        }
        Thread keepAlive = new Thread(() -> {
            byte[] ka = new byte[4];
            try {
                while (true) {
                    for (Socket s : sockets) {
                        s.getOutputStream().write(ka);
                        while (s.getInputStream().available() > 0) {
                            s.getInputStream().skipNBytes(s.getInputStream().available());
                        }
                    }
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException closed) {
                // a squatter was closed (by the engine or the test): the thread ends
            }
        });
        keepAlive.setDaemon(true);
        keepAlive.start();
        return sockets;
    }

    private static void awaitMessage(DataInputStream in, byte id) throws IOException {
        while (true) {
            int length = in.readInt();
            if (length == 0) {
                continue;
            }
            byte got = in.readByte();
            in.skipNBytes(length - 1);
            if (got == id) {
                return;
            }
        }
    }

    private void stillServes(EngineHarness.Node seed, String into) throws Exception {
        EngineHarness.Node leecher = harness.start();
        leecher.add(metainfo, dir.resolve(into), SwarmOptions.defaults().withPeers(List.of(seed.address())));
        await().atMost(Duration.ofSeconds(60)).until(() -> leecher.has(EngineEvent.SwarmComplete.class, e -> true));
        TestData.assertIdentical(dir.resolve("seed"), dir.resolve(into), metainfo);
    }

    static byte[] handshake(InfoHash hash, Random random) {
        ByteBuffer b = ByteBuffer.allocate(Handshake.LENGTH);
        Handshake.ours(hash, PeerId.generate(random)).encode(b);
        return b.array();
    }

    static byte[] message(Message m) {
        ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
        MessageCodec.encode(m, b);
        return b.array();
    }
}

package dev.freshet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, the hostile-input suite: attacks on a real node (Payara Micro, peer port, tracker, API) while a member
 * of its cluster fetches from it. Each round: the download completes with the right bytes, the node's heap stays
 * under its limit, and what it stored before (the published artifact and its catalog) is unchanged. Figures: the
 * download time with and without the attacks, and the heap at its highest under attack. Longer runs: raise
 * {@code -Dhostile.rounds}.
 */
class Issue10HostileInputIT {
    private static final long HEAP_LIMIT = 768L << 20; // MicroNode's -Xmx

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void aNodeUnderAttackServesItsClusterAndLosesNothing() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("hostile-" + System.nanoTime());
        Path published = work.resolve("published");
        cluster.plan(work, 2);
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString()));
        MicroNode member = cluster.node(1, "hq", Map.of());
        MicroCluster.startAll(Duration.ofSeconds(240), hq, member);

        Path quiet = Artifacts.write(published, "quiet", 41, 48L << 20);
        double quietSeconds = fetch(hq, member, quiet);
        String quietHash = hashOf(hq, "quiet");
        var storedBefore = Artifacts.digests(quiet);
        String catalogBefore = hq.admin().get("/api/swarms/" + quietHash).json().getString("infoHash");

        Path attacked = Artifacts.write(published, "attacked", 42, 48L << 20);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxHeap = new AtomicLong();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> attackers = List.of(
                attacker("non-reader", stop, () -> nonReader(hq, quietHash)),
                attacker("half-open", stop, () -> halfOpen(hq)),
                attacker("announce-flood", stop, () -> announceFlood(hq)),
                attacker("bad-torrents", stop, () -> refusals.addAll(badTorrents(hq))),
                attacker("bad-multipart", stop, () -> refusals.addAll(badMultipart(hq))),
                attacker("slow-http", stop, () -> slowHttp(hq)),
                attacker("heap-watch", stop, () -> maxHeap.accumulateAndGet(heapUsed(hq), Math::max)));
        attackers.forEach(Thread::start);
        double attackedSeconds;
        try {
            Thread.sleep(8000); // the attacks are in full swing (and had time to pile up) before the download starts
            attackedSeconds = fetch(hq, member, attacked);
            Thread.sleep(3000); // and one more heap sample after it
        } finally {
            stop.set(true);
            for (Thread t : attackers) {
                t.join(30_000);
            }
        }
        System.out.printf("FIGURE hostile input: 48 MiB to a member in %.1f s quiet, %.1f s under attack; the node's "
                + "live heap at most %d MiB (of -Xmx %d MiB) under attack%n", quietSeconds, attackedSeconds, maxHeap.get() >> 20,
                HEAP_LIMIT >> 20);
        assertThat(Artifacts.digests(member.downloaded("attacked"))).isEqualTo(Artifacts.digests(attacked));
        assertThat(maxHeap.get()).as("live heap under attack").isPositive().isLessThan(HEAP_LIMIT / 2);
        // every bad input was answered 400 (never 500, never taken)
        assertThat(refusals).isNotEmpty().allMatch(r -> r.startsWith("400"));
        // nothing stored before changed, and the node still answers
        assertThat(Artifacts.digests(quiet)).isEqualTo(storedBefore);
        assertThat(hq.admin().get("/api/swarms/" + quietHash).json().getString("infoHash")).isEqualTo(catalogBefore);
        assertThat(Api.plain().send("GET", "http://127.0.0.1:" + hq.httpPort + "/health/ready").statusCode()).isEqualTo(200);
        assertThat(hq.admin().get("/api/swarms").array()).hasSize(2);
    }

    private static double fetch(MicroNode from, MicroNode to, Path artifact) throws Exception {
        long t0 = System.nanoTime();
        Api.Reply r = from.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"all\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String hash = r.json().getString("infoHash");
        await().atMost(Duration.ofSeconds(180)).until(() -> {
            Api.Reply s = to.admin().get("/api/swarms/" + hash);
            return s.status() == 200 && s.json().getJsonNumber("progress").doubleValue() == 1.0;
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String hashOf(MicroNode node, String name) throws Exception {
        return node.admin().get("/api/swarms").array().getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(o -> o.getString("name").equals(name)).findFirst().orElseThrow().getString("infoHash");
    }

    interface Attack {
        void once() throws Exception;
    }

    private static Thread attacker(String name, AtomicBoolean stop, Attack attack) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    attack.once();
                } catch (Exception expected) {
                    // a closed connection is the node defending itself
                }
            }
        }, "attack-" + name);
        t.setDaemon(true);
        return t;
    }

    /** Case 1: handshakes with the fast extension, then REQUESTs while choked, never reading the rejects. */
    private static void nonReader(MicroNode node, String infoHash) throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", node.peerPort()), 5000);
            OutputStream out = s.getOutputStream();
            ByteBuffer h = ByteBuffer.allocate(68);
            h.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            h.put(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 0x04});
            h.put(HexFormat.of().parseHex(infoHash));
            byte[] id = new byte[20];
            new Random().nextBytes(id);
            h.put(id);
            out.write(h.array());
            ByteBuffer requests = ByteBuffer.allocate(17 * 1000);
            for (int i = 0; i < 1000; i++) {
                requests.putInt(13).put((byte) 6).putInt(i % 100).putInt(0).putInt(16384);
            }
            for (int i = 0; i < 2000; i++) { // 34 MB of requests
                out.write(requests.array());
            }
        }
    }

    /** Case 4: connections that never send a handshake. */
    private static void halfOpen(MicroNode node) throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", node.peerPort()), 2000);
                held.add(s);
            }
            Thread.sleep(3000);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Case 11: announces for random info-hashes from one stranger's address. */
    private static void announceFlood(MicroNode node) throws Exception {
        Random random = new Random();
        for (int i = 0; i < 50; i++) {
            byte[] hash = new byte[20];
            random.nextBytes(hash);
            StringBuilder q = new StringBuilder("/announce?info_hash=");
            for (byte b : hash) {
                q.append(String.format("%%%02X", b));
            }
            q.append("&peer_id=-XX0001-123456789012&port=7000&left=1&event=started");
            rawRequest(node, "127.0.0.99", "GET " + q + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]);
        }
    }

    /** Malformed and hostile .torrent bodies, each must be refused with 400. */
    private static List<String> badTorrents(MicroNode node) throws Exception {
        List<byte[]> bodies = List.of(
                "d8:announce".getBytes(StandardCharsets.ISO_8859_1),
                "d4:infod6:lengthi-5e4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee".getBytes(StandardCharsets.ISO_8859_1),
                ("d4:infod5:filesld6:lengthi1e4:pathl2:..6:passwdeee4:name1:x12:piece lengthi16384e6:pieces20:"
                        + "aaaaaaaaaaaaaaaaaaaaee").getBytes(StandardCharsets.ISO_8859_1),
                "l".repeat(200_000).getBytes(StandardCharsets.ISO_8859_1),
                "d999999999999:x".getBytes(StandardCharsets.ISO_8859_1),
                "i99999999999999999999999e".getBytes(StandardCharsets.ISO_8859_1));
        List<String> answers = new ArrayList<>();
        for (byte[] b : bodies) {
            Api.Reply r = node.admin().postBytes("/api/swarms", "application/x-bittorrent", b);
            answers.add(r.status() + " torrent");
        }
        Thread.sleep(500);
        return answers;
    }

    /** Hostile multipart bodies, each refused with 400 and leaving nothing behind. */
    private static List<String> badMultipart(MicroNode node) throws Exception {
        List<String> answers = new ArrayList<>();
        String many = "--b\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\nall\r\n".repeat(40) + "--b--\r\n";
        String endless = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n" + "x".repeat(100_000);
        String headers = "--b\r\nX: " + "y".repeat(20_000) + "\r\n\r\n";
        for (String body : List.of(many, endless, headers)) {
            Api.Reply r = node.admin().postBytes("/api/swarms", "multipart/form-data; boundary=b",
                    body.getBytes(StandardCharsets.ISO_8859_1));
            answers.add(r.status() + " multipart");
        }
        Thread.sleep(500);
        return answers;
    }

    /** A client that sends its request headers one byte a second. */
    private static void slowHttp(MicroNode node) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.httpPort)) {
            s.setSoTimeout(15_000);
            for (byte b : "GET /api/swarms HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)) {
                s.getOutputStream().write(b);
                Thread.sleep(200);
            }
        }
    }

    private static void rawRequest(MicroNode node, String from, String head, byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), node.httpPort, InetAddress.getByName(from), 0)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getInputStream().readAllBytes();
        }
    }

    /**
     * The node's live heap: a full collection (jcmd GC.run), then the sum of its generations' "used" (GC.heap_info).
     * What a connection queues stays live until it is sent; a node buffering an attacker's traffic shows it here.
     */
    private static long heapUsed(MicroNode node) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(node.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(node.pid()), "GC.heap_info")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        long used = 0;
        Matcher m = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K").matcher(out);
        while (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
        }
        Thread.sleep(3000);
        return used;
    }
}

package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Payara Micro nodes on loopback distribute a 256 MiB multi-file artifact, lose its publisher, and
 * one of them is killed mid-download and restarted. Prints the times it measured.
 */
class ClusterDistributionIT {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void anArtifactOutlivesItsPublisherAndANodeResumesAfterAKill() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("distribution-" + System.nanoTime());
        Path published = work.resolve("published");
        Path artifact = Artifacts.write(published, "release-1.0", 1, 150 * MIB + 12345, 100 * MIB - 777, 6 * MIB + 1, 0);
        Path second = Artifacts.write(published, "images-2.0", 2, 64 * MIB + 99, 32 * MIB);
        Map<String, String> expected = Artifacts.digests(artifact);
        Map<String, String> expectedSecond = Artifacts.digests(second);
        cluster.plan(work, 3);
        Map<String, String> roots = Map.of("freshet.publish.roots", published.toString());
        MicroNode n1 = cluster.node(0, "hq", roots);
        MicroNode n2 = cluster.node(1, "hq", roots);
        MicroNode n3 = cluster.node(2, "hq", roots);

        long t0 = System.nanoTime();
        MicroCluster.startAll(Duration.ofSeconds(240), n1, n2, n3);
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> n1.admin().get("/api/cluster").json().getJsonArray("members").size() == 3);
        long formed = System.nanoTime();
        report("3 nodes started together, all ready", t0, started);
        report("cluster of 3 formed (after ready)", started, formed);
        // no node's grid objects carry Payara's application context, which each grid operation would restore
        // (GridObjects): the check at start-up ran and found none
        for (MicroNode n : List.of(n1, n2, n3)) {
            assertThat(n.logDigest(Integer.MAX_VALUE)).as(n.name())
                    .anyMatch(l -> l.contains("grid objects carry no application context"))
                    .noneMatch(l -> l.contains("carry an application context"));
        }

        // The publisher sends at 32 MiB/s, nodes 2 and 3 trade with each other at only 2 MiB/s: rarest first,
        // each asks the publisher for what the other lacks, so together they hold every piece (after ~8 s)
        // long before either does alone.
        assertThat(limit(n1, 0, 32 * MIB)).isEqualTo(200);
        assertThat(limit(n2, 0, 2 * MIB)).isEqualTo(200);
        assertThat(limit(n3, 0, 2 * MIB)).isEqualTo(200);
        long p0 = System.nanoTime();
        Api.Reply pub = n1.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"all\"}");
        assertThat(pub.status()).as("256 MiB is hashed in the background: " + pub.body()).isEqualTo(202);
        JsonObject swarm = n1.admin().published(pub, Duration.ofSeconds(120));
        report("publish (hash 256 MiB) on node1", p0, System.nanoTime());
        String hash = swarm.getString("infoHash");
        int pieces = swarm.getInt("pieces");

        long d0 = System.nanoTime();
        BitSet union = new BitSet();
        long lastPrint = 0;
        while (union.cardinality() < pieces) {
            union = new BitSet();
            BitSet a = piecesOn(n2, hash);
            BitSet b = piecesOn(n3, hash);
            union.or(a);
            union.or(b);
            if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                lastPrint = System.nanoTime();
                System.out.printf("%5.1f s: node2 %d, node3 %d, together %d of %d pieces%n", (lastPrint - d0) / 1e9,
                        a.cardinality(), b.cardinality(), union.cardinality(), pieces);
            }
            assertThat(System.nanoTime() - d0).as("nodes 2 and 3 together hold every piece").isLessThan(Duration.ofSeconds(180).toNanos());
            Thread.sleep(100);
        }
        int onN2 = piecesOn(n2, hash).cardinality();
        int onN3 = piecesOn(n3, hash).cardinality();
        n1.kill();
        System.out.printf("node1 killed (SIGKILL) when node2 had %d and node3 %d of %d pieces%n", onN2, onN3, pieces);
        assertThat(onN2).isLessThan(pieces);
        assertThat(onN3).isLessThan(pieces);
        assertThat(limit(n2, 0, 0)).isEqualTo(200);
        assertThat(limit(n3, 0, 0)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> complete(n2, hash) && complete(n3, hash));
        report("256 MiB to nodes 2 and 3 (publish to both complete, node1 killed midway)", d0, System.nanoTime());
        assertThat(Artifacts.digests(n2.downloaded("release-1.0"))).isEqualTo(expected);
        assertThat(Artifacts.digests(n3.downloaded("release-1.0"))).isEqualTo(expected);

        // Node 2 is killed while it fetches a second artifact from node 3, then restarted: it resumes.
        assertThat(limit(n3, 0, 16 * MIB)).isEqualTo(200);
        Api.Reply pub2 = n3.admin().postJson("/api/swarms", "{\"path\":\"" + second + "\",\"policy\":\"all\"}");
        JsonObject swarm2 = n3.admin().published(pub2, Duration.ofSeconds(120)); // 96 MiB: in the background
        String hash2 = swarm2.getString("infoHash");
        long size2 = swarm2.getJsonNumber("size").longValue();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> progress(n2, hash2) >= 0.3);
        n2.kill();
        long r0 = System.nanoTime();
        n2.start().awaitReady(Duration.ofSeconds(180));
        report("node2 restart until ready", r0, System.nanoTime());
        JsonObject resumed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> n2.admin().get("/api/swarms/" + hash2).json(), s -> !s.getString("state").equals("checking"));
        System.out.printf("node2 after restart: %d of %d pieces verified, state %s%n", resumed.getInt("verifiedPieces"),
                resumed.getInt("pieces"), resumed.getString("state"));
        assertThat(resumed.getInt("verifiedPieces")).isPositive();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> complete(n2, hash2));
        JsonObject done = n2.admin().get("/api/swarms/" + hash2).json();
        long afterRestart = done.getJsonNumber("downloadedThisRun").longValue();
        System.out.printf("node2 downloaded %d bytes after its restart, of %d%n", afterRestart, size2);
        assertThat(afterRestart).isLessThan(size2);
        assertThat(Artifacts.digests(n2.downloaded("images-2.0"))).isEqualTo(expectedSecond);
        // the first artifact was resumed as complete from the catalog, not fetched again
        JsonObject first = n2.admin().get("/api/swarms/" + hash).json();
        assertThat(first.getJsonNumber("progress").doubleValue()).isEqualTo(1.0);
        assertThat(first.getJsonNumber("downloadedThisRun").longValue()).isZero();
    }

    private static int limit(MicroNode node, long download, long upload) throws Exception {
        return node.admin().putJson("/api/settings", "{\"downloadLimit\":" + download + ",\"uploadLimit\":" + upload
                + "}").status();
    }

    private static BitSet piecesOn(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 ? Api.pieces(r.json()) : new BitSet();
    }

    private static double progress(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 ? r.json().getJsonNumber("progress").doubleValue() : 0;
    }

    private static boolean complete(MicroNode node, String hash) throws Exception {
        return progress(node, hash) == 1.0;
    }

    private static void report(String what, long from, long to) {
        System.out.printf("TIME %-70s %6.1f s%n", what, (to - from) / 1e9);
    }
}

package dev.freshet.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, item 4: a node's downloads stop at its data disk's high watermark (default 90 %) and at its quota, say so
 * in the swarm's state and in {@code /api/disk}, and go on by themselves below the low watermark (80 %) or once the
 * quota allows; an admin changes the limits, bad values are refused and change nothing. Retention first: a download
 * stopped by the watermark gets room from the least recently used copy the node holds on demand, never from the
 * cluster's last copy. One cluster for the whole story (each start costs half a minute of the suite). The disk is a
 * real small file system (a 40 MiB tmpfs of the node's own, {@link MicroNode#onSmallDisk}) that the test grows.
 */
class DiskLimitsIT {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void downloadsStopAtTheWatermarkAndTheQuotaGetRoomFromSpareCopiesAndGoOnByThemselves() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a tmpfs of the node's own needs root");
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("disk-limits-" + System.nanoTime());
        Path published = work.resolve("published");
        Path last = Artifacts.write(published, "last-copy", 31, 4 * MIB);
        Path spare = Artifacts.write(published, "spare-copy", 32, 12 * MIB);
        Path wanted = Artifacts.write(published, "wanted-here", 33, 24 * MIB); // 4 + 12 + 24: more than the disk
        Path big = Artifacts.write(published, "fills-the-disk", 23, 64 * MIB);
        Path second = Artifacts.write(published, "over-the-quota", 24, 12 * MIB);
        cluster.plan(work, 2);
        MicroNode hq = cluster.node(0, "hq", Map.of("freshet.publish.roots", published.toString()));
        MicroNode small = cluster.node(1, "hq", Map.of()).onSmallDisk("40m");
        MicroCluster.startAll(Duration.ofSeconds(240), hq, small);

        JsonObject before = small.admin().get("/api/disk").json();
        assertThat(before.getInt("highWatermark")).isEqualTo(90);
        assertThat(before.getInt("lowWatermark")).isEqualTo(80);
        assertThat(before.getJsonNumber("quota").longValue()).isZero();
        assertThat(small.viewer().get("/api/disk").status()).as("anyone signed in reads it").isEqualTo(200);

        // Retention: two swarms published on demand that the small node asks for (the older first): they are its to
        // give up. The publisher lets go of one, so the small node holds the cluster's last complete copy of it.
        String lastHash = onDemandCopy(hq, small, last);
        String spareHash = onDemandCopy(hq, small, spare);
        assertThat(hq.admin().delete("/api/swarms/" + lastHash + "?deleteData=true").status()).isEqualTo(204);
        // a swarm every node must have does not fit beside the two: it stops at 90 %, the spare copy makes room
        Api.Reply wantedPub = hq.admin().postJson("/api/swarms", "{\"path\":\"" + wanted + "\",\"policy\":\"all\"}");
        assertThat(wantedPub.status()).as(wantedPub.body()).isEqualTo(201);
        String wantedHash = wantedPub.json().getString("infoHash");
        long r0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).until(() -> "seeding".equals(state(small, wantedHash)));
        System.out.printf("TIME retention: the download that did not fit completed in %.1f s%n", (System.nanoTime() - r0) / 1e9);
        assertThat(Artifacts.digests(small.downloaded("wanted-here"))).isEqualTo(Artifacts.digests(wanted));
        assertThat(small.admin().get("/api/swarms/" + spareHash).status()).as("the spare copy was given up").isEqualTo(404);
        assertThat(small.downloaded("spare-copy")).doesNotExist();
        assertThat(state(hq, spareHash)).as("complete elsewhere").isEqualTo("seeding");
        assertThat(state(small, lastHash)).as("the cluster's last copy stays").isEqualTo("seeding");

        Api.Reply pub = hq.admin().postJson("/api/swarms", "{\"path\":\"" + big + "\",\"policy\":\"all\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");

        // 64 MiB beside 28: the download stops at 90 %, before the disk is full; nothing may be given up for it now
        // (the last copy stays, the other is wanted here)
        await().atMost(Duration.ofSeconds(90)).until(() -> "stalled".equals(state(small, hash)));
        JsonObject stalled = small.admin().get("/api/swarms/" + hash).json();
        assertThat(stalled.getString("error")).contains("(high watermark 90 %)").contains("goes on by itself below 80 %");
        JsonObject disk = small.admin().get("/api/disk").json();
        System.out.println("disk at the watermark: " + disk);
        assertThat(disk.getJsonNumber("usedPercent").doubleValue()).isGreaterThanOrEqualTo(90).isLessThan(99);
        assertThat(disk.getJsonArray("stalled").getString(0)).isEqualTo(hash);
        int verified = stalled.getInt("verifiedPieces");
        Thread.sleep(3000);
        assertThat(small.admin().get("/api/swarms/" + hash).json().getInt("verifiedPieces")).as("stopped")
                .isEqualTo(verified);

        // bad limits: a 4xx that says what to fix, nothing changed
        assertThat(small.viewer().putJson("/api/disk", "{\"highWatermark\":95}").status()).isEqualTo(403);
        Api.Reply lowAboveHigh = small.admin().putJson("/api/disk", "{\"lowWatermark\":95}");
        assertThat(lowAboveHigh.status()).isEqualTo(400);
        assertThat(lowAboveHigh.body()).contains("low <= high");
        Api.Reply underHeld = small.admin().putJson("/api/disk", "{\"quota\":1048576}");
        assertThat(underHeld.status()).isEqualTo(400);
        assertThat(underHeld.body()).contains("below what this node holds");
        assertThat(small.admin().putJson("/api/disk", "{\"quota\":\"lots\"}").status()).isEqualTo(400);
        assertThat(small.admin().putJson("/api/disk", "{\"highWatermark\":101}").status()).isEqualTo(400);
        assertThat(small.admin().putJson("/api/disk", "{\"size\":1}").status()).isEqualTo(400);
        JsonObject unchanged = small.admin().get("/api/disk").json();
        assertThat(unchanged.getInt("highWatermark")).isEqualTo(90);
        assertThat(unchanged.getInt("lowWatermark")).isEqualTo(80);
        assertThat(unchanged.getJsonNumber("quota").longValue()).isZero();

        // room again: the disk grows to 160 MiB (about 23 % used), the swarm goes on by itself and completes
        small.growDisk("160m");
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).until(() -> "seeding".equals(state(small, hash)));
        System.out.printf("TIME watermark: after the disk grew, the stopped swarm completed in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertThat(Artifacts.digests(small.downloaded("fills-the-disk"))).isEqualTo(Artifacts.digests(big));

        // a quota 2 MiB above what the node holds now: the next download stops there, and goes on when it is lifted
        long held = small.admin().get("/api/disk").json().getJsonNumber("heldBytes").longValue();
        assertThat(held).isEqualTo((4 + 24 + 64) * MIB);
        assertThat(state(small, lastHash)).as("still the cluster's last copy: kept").isEqualTo("seeding");
        Api.Reply quota = small.admin().putJson("/api/disk", "{\"quota\":" + (held + 2 * MIB) + "}");
        assertThat(quota.status()).as(quota.body()).isEqualTo(200);
        Api.Reply pub2 = hq.admin().postJson("/api/swarms", "{\"path\":\"" + second + "\",\"policy\":\"all\"}");
        assertThat(pub2.status()).as(pub2.body()).isEqualTo(201);
        String hash2 = pub2.json().getString("infoHash");
        await().atMost(Duration.ofSeconds(90)).until(() -> "stalled".equals(state(small, hash2)));
        JsonObject overQuota = small.admin().get("/api/swarms/" + hash2).json();
        assertThat(overQuota.getString("error")).startsWith("quota reached");
        assertThat(overQuota.getInt("verifiedPieces")).isLessThan(overQuota.getInt("pieces"));
        assertThat(small.admin().putJson("/api/disk", "{\"quota\":0}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "seeding".equals(state(small, hash2)));
        assertThat(Artifacts.digests(small.downloaded("over-the-quota"))).isEqualTo(Artifacts.digests(second));
        assertThat(small.admin().get("/api/disk").json().getJsonArray("stalled")).isEmpty();
    }

    /** Publishes {@code artifact} on demand on {@code from}; {@code to} adds it by its magnet link and completes it. */
    private static String onDemandCopy(MicroNode from, MicroNode to, Path artifact) throws Exception {
        Api.Reply pub = from.admin().postJson("/api/swarms", "{\"path\":\"" + artifact + "\",\"policy\":\"on-demand\"}");
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
        String hash = pub.json().getString("infoHash");
        Api.Reply add = to.admin().postJson("/api/swarms", "{\"magnet\":\"magnet:?xt=urn:btih:" + hash + "\"}");
        assertThat(add.status()).as(add.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> "seeding".equals(state(to, hash)));
        return hash;
    }

    private static String state(MicroNode node, String hash) throws Exception {
        Api.Reply r = node.admin().get("/api/swarms/" + hash);
        return r.status() == 200 ? r.json().getString("state") : "answer " + r.status();
    }
}

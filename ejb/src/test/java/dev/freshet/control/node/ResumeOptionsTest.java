package dev.freshet.control.node;

import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.SwarmOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ResumeOptionsTest {
    private static byte[] torrent() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("d4:infod6:lengthi1000e4:name5:a.bin12:piece lengthi16384e6:pieces20:".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[20]);
        b.writeBytes("ee".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /**
     * A node that was one of a swarm's first seeds is one again after a restart: its catalog row says so. Before, a
     * publisher restarted mid-way sent each piece to every office that asked (k·F over its link instead of F).
     */
    @Test
    void aFirstSeedStartsAgainAsAFirstSeed() {
        byte[] t = torrent();
        Metainfo m = Metainfo.parse(t);
        SwarmRecord r = new SwarmRecord(m.infoHash().hex(), "a.bin", 1000, 1, t, "/tmp/x", "all");
        assertThat(NodeLifecycle.resumeOptions(r, m).firstSeed()).as("fetched by policy: not a first seed").isFalse();
        r.firstSeed(true);
        SwarmOptions options = NodeLifecycle.resumeOptions(r, m);
        assertThat(options.firstSeed()).isTrue();
        assertThat(options.announce()).as("no tracker in the torrent: nothing to announce to").isFalse();
    }
}

package dev.freshet.control;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FileProgressTest {
    @Test
    void aFileCountsTheBytesOfVerifiedPiecesInsideIt() {
        // pieces of 16 KiB over files of 20 000, 0 and 30 000 bytes: piece 1 holds the end of a and the start of c
        Info info = Info.create("t", 16384, new byte[4 * 20], List.of(new FileEntry(List.of("a"), 20_000),
                new FileEntry(List.of("empty"), 0), new FileEntry(List.of("c"), 30_000)), true, false);
        Metainfo m = new Metainfo(info, Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
        BitSet verified = new BitSet();
        verified.set(1);
        List<NodeSwarm.FileProgress> files = NodeSwarms.files(m, verified);
        assertThat(files).extracting(NodeSwarm.FileProgress::path).containsExactly("t/a", "t/empty", "t/c"); // multi-file paths start with the torrent name
        assertThat(files.get(0).progress()).isEqualTo((20_000 - 16384) / 20_000.0);
        assertThat(files.get(1).progress()).isEqualTo(1.0);
        assertThat(files.get(2).progress()).isEqualTo((32768 - 20_000) / 30_000.0);
        verified.set(0, 4);
        assertThat(NodeSwarms.files(m, verified)).extracting(NodeSwarm.FileProgress::progress).containsExactly(1.0, 1.0, 1.0);
        assertThat(NodeSwarms.files(m, new BitSet())).extracting(NodeSwarm.FileProgress::progress).containsExactly(0.0, 1.0, 0.0);
    }
}

package dev.freshet.control;

import dev.freshet.control.directory.PublishedSwarm;
import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.MetainfoException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, case 13: a directory entry whose {@code .torrent} belongs to other content than the info-hash it is
 * filed under is never served or started.
 */
class Issue10DirectoryEntryTest {
    private static Metainfo torrent(String name, int length) {
        Info info = Info.create(name, 16384, new byte[20], List.of(new FileEntry(List.of(name), length)), false, false);
        return new Metainfo(info, Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static PublishedSwarm entry(String filedAs, Metainfo content) {
        return new PublishedSwarm(filedAs, "x", 1, 1, "all", Base64.getEncoder().encodeToString(content.toBytes()),
                "m", 0, false, null);
    }

    @Test
    void anEntryWhoseMetainfoHasItsInfoHashIsUsed() {
        Metainfo good = torrent("a.bin", 10);
        PublishedSwarm p = entry(good.infoHash().hex(), good);
        assertThat(p.verify(good.infoHash().hex()).infoHash()).isEqualTo(good.infoHash());
        assertThat(p.verifiedTorrent(good.infoHash().hex())).isEqualTo(good.toBytes());
    }

    @Test
    void anEntryHoldingOtherContentIsRefused() {
        Metainfo asked = torrent("a.bin", 10);
        Metainfo other = torrent("evil.bin", 11);
        PublishedSwarm forged = entry(asked.infoHash().hex(), other);
        assertThatThrownBy(() -> forged.verify(asked.infoHash().hex())).isInstanceOf(MetainfoException.class)
                .hasMessageContaining(other.infoHash().hex());
        assertThatThrownBy(() -> forged.verifiedTorrent(asked.infoHash().hex())).isInstanceOf(MetainfoException.class);
    }

    @Test
    void anEntryNamingAnotherHashThanItsKeyIsRefused() {
        Metainfo m = torrent("a.bin", 10);
        PublishedSwarm misfiled = entry("00".repeat(20), m);
        assertThatThrownBy(() -> misfiled.verify(m.infoHash().hex())).isInstanceOf(MetainfoException.class);
    }

    @Test
    void anEntryWithoutAValidTorrentIsRefused() {
        PublishedSwarm junk = new PublishedSwarm("00".repeat(20), "x", 1, 1, "all", "%%%", "m", 0, false, null);
        assertThatThrownBy(() -> junk.verify("00".repeat(20))).isInstanceOf(MetainfoException.class);
        PublishedSwarm notBencode = new PublishedSwarm("00".repeat(20), "x", 1, 1, "all",
                Base64.getEncoder().encodeToString("hello".getBytes()), "m", 0, false, null);
        assertThatThrownBy(() -> notBencode.verify("00".repeat(20))).isInstanceOf(RuntimeException.class);
    }
}

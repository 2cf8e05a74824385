package dev.freshet.engine.metainfo;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.Bencode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetainfoTest {

    private static byte[] hashes(int pieces) {
        return new byte[pieces * 20];
    }

    private static BValue file(long length, String... path) {
        List<BValue> p = new ArrayList<>();
        for (String c : path) {
            p.add(BValue.of(c));
        }
        return BValue.BDictionary.of(Map.of("length", BValue.of(length), "path", new BValue.BList(p)));
    }

    private static byte[] torrent(Map<String, BValue> info, Map<String, BValue> top) {
        Map<String, BValue> root = new java.util.HashMap<>(top);
        root.put("info", BValue.BDictionary.of(info));
        return Bencode.encode(BValue.BDictionary.of(root));
    }

    private static Map<String, BValue> multiFileInfo(BValue... files) {
        long total = 0;
        for (BValue f : files) {
            total += ((BValue.BDictionary) f).integer("length").orElseThrow();
        }
        int pieces = (int) ((total + 32767) / 32768);
        return Map.of("name", BValue.of("dir"), "piece length", BValue.of(32768), "pieces", BValue.of(hashes(pieces)),
                "files", new BValue.BList(List.of(files)));
    }

    /** Issue 10 (smaller): lengths that overflow when summed were taken as a torrent of -4 bytes, "seeding". */
    @Test
    void fileLengthsThatOverflowWhenSummedAreRefused() {
        Map<String, BValue> info = Map.of("name", BValue.of("dir"), "piece length", BValue.of(32768),
                "pieces", BValue.of(hashes(0)), "files", new BValue.BList(List.of(file(Long.MAX_VALUE, "a"),
                        file(Long.MAX_VALUE, "b"), file(2, "c"))));
        assertThatThrownBy(() -> Metainfo.parse(torrent(info, Map.of()))).isInstanceOf(MetainfoException.class)
                .hasMessageContaining("add up to more than");
        Map<String, BValue> tooManyPieces = Map.of("name", BValue.of("big"), "piece length", BValue.of(16384),
                "pieces", BValue.of(hashes(0)), "length", BValue.of(Long.MAX_VALUE));
        assertThatThrownBy(() -> Metainfo.parse(torrent(tooManyPieces, Map.of()))).isInstanceOf(MetainfoException.class);
    }

    @Test
    void readsASingleFileTorrent() throws Exception {
        byte[] t = torrent(Map.of("name", BValue.of("a.iso"), "piece length", BValue.of(16384), "length", BValue.of(40000),
                "pieces", BValue.of(hashes(3))), Map.of("announce", BValue.of("http://127.0.0.1:8080/announce")));
        Metainfo m = Metainfo.parse(t);
        assertThat(m.info().name()).isEqualTo("a.iso");
        assertThat(m.info().isMultiFile()).isFalse();
        assertThat(m.info().files()).containsExactly(new FileEntry(List.of("a.iso"), 40000));
        assertThat(m.info().pieceCount()).isEqualTo(3);
        assertThat(m.info().pieceSize(2)).isEqualTo(40000 - 2 * 16384);
        assertThat(m.announce()).contains("http://127.0.0.1:8080/announce");
        assertThat(m.trackerTiers()).containsExactly(List.of("http://127.0.0.1:8080/announce"));
    }

    @Test
    void readsAMultiFileTorrentWithPathsUnderItsName() {
        Metainfo m = Metainfo.parse(torrent(multiFileInfo(file(100, "a", "b.txt"), file(0, "empty"), file(70000, "c.bin")), Map.of()));
        assertThat(m.info().files()).extracting(FileEntry::displayPath).containsExactly("dir/a/b.txt", "dir/empty", "dir/c.bin");
        assertThat(m.info().totalLength()).isEqualTo(70100);
        assertThat(m.info().pieceCount()).isEqualTo(3);
    }

    @Test
    void infoHashIsOverTheReceivedInfoBytes() throws Exception {
        byte[] t = torrent(multiFileInfo(file(100, "x")), Map.of("comment", BValue.of("hi")));
        String s = new String(t, StandardCharsets.ISO_8859_1);
        int start = s.indexOf("4:infod") + 6;
        int end = s.length() - 1;
        byte[] raw = java.util.Arrays.copyOfRange(t, start, end);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(raw);
        assertThat(Metainfo.parse(t).infoHash().bytes()).isEqualTo(expected);
    }

    @Test
    void keepsUnknownInfoKeysInTheHashAndTheWrittenFile() {
        Map<String, BValue> info = new java.util.HashMap<>(multiFileInfo(file(100, "x")));
        info.put("source", BValue.of("somewhere"));
        byte[] t = torrent(info, Map.of());
        Metainfo m = Metainfo.parse(t);
        Metainfo again = Metainfo.parse(m.toBytes());
        assertThat(again.infoHash()).isEqualTo(m.infoHash());
        assertThat(m.infoHash()).isEqualTo(InfoHash.ofInfoBytes(Bencode.encode(BValue.BDictionary.of(info))));
    }

    @Test
    void writesAndReadsAnnounceListPrivateAndUrlList() {
        Info info = Info.create("f", 16384, hashes(1), List.of(new FileEntry(List.of("f"), 10)), false, true);
        Metainfo m = new Metainfo(info, Optional.of("http://a/announce"),
                List.of(List.of("http://a/announce", "http://b/announce"), List.of("http://c/announce")),
                List.of("http://mirror/f"), Optional.of("c"), Optional.of("Freshet"), Optional.of(1L));
        Metainfo back = Metainfo.parse(m.toBytes());
        assertThat(back.info().isPrivate()).isTrue();
        assertThat(back.announceList()).isEqualTo(m.announceList());
        assertThat(back.urlList()).containsExactly("http://mirror/f");
        assertThat(back.infoHash()).isEqualTo(info.infoHash());
        assertThat(back.comment()).contains("c");
        assertThat(back.creationDate()).contains(1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "a/b", "a\\b", "C:", "c:evil", "nul\u0000byte", "tab\there"})
    void refusesHostilePathComponents(String component) {
        byte[] t = torrent(multiFileInfo(file(10, "ok", component)), Map.of());
        assertThatThrownBy(() -> Metainfo.parse(t)).isInstanceOf(MetainfoException.class).hasMessageContaining("refused path");
    }

    @Test
    void refusesHostileNames() {
        for (String name : List.of("..", "/etc", "a/../../b", "")) {
            byte[] t = torrent(Map.of("name", BValue.of(name), "piece length", BValue.of(16384), "length", BValue.of(1),
                    "pieces", BValue.of(hashes(1))), Map.of());
            assertThatThrownBy(() -> Metainfo.parse(t)).as(name).isInstanceOf(MetainfoException.class)
                    .hasMessageContaining("refused path");
        }
    }

    @Test
    void refusesOverlongNamesAndEmptyPaths() {
        byte[] longName = torrent(multiFileInfo(file(10, "x".repeat(256))), Map.of());
        assertThatThrownBy(() -> Metainfo.parse(longName)).hasMessageContaining("longer than 255");
        byte[] emptyPath = torrent(multiFileInfo(file(10)), Map.of());
        assertThatThrownBy(() -> Metainfo.parse(emptyPath)).hasMessageContaining("no components");
    }

    @Test
    void refusesDuplicateAndClashingPaths() {
        assertThatThrownBy(() -> Metainfo.parse(torrent(multiFileInfo(file(10, "a"), file(10, "a")), Map.of())))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Metainfo.parse(torrent(multiFileInfo(file(10, "a"), file(10, "a", "b")), Map.of())))
                .hasMessageContaining("both a file and a directory");
    }

    @Test
    void refusesInconsistentPieces() {
        Map<String, BValue> info = new java.util.HashMap<>(multiFileInfo(file(100000, "x")));
        info.put("pieces", BValue.of(hashes(2)));
        assertThatThrownBy(() -> Metainfo.parse(torrent(info, Map.of()))).hasMessageContaining("need 4");
        info.put("pieces", BValue.of(new byte[41]));
        assertThatThrownBy(() -> Metainfo.parse(torrent(info, Map.of()))).hasMessageContaining("multiple of 20");
        info.put("pieces", BValue.of(hashes(4)));
        info.put("piece length", BValue.of(0));
        assertThatThrownBy(() -> Metainfo.parse(torrent(info, Map.of()))).hasMessageContaining("piece length");
    }

    @Test
    void refusesMissingPartsWithClearMessages() {
        assertThatThrownBy(() -> Metainfo.parse("le".getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("dictionary");
        assertThatThrownBy(() -> Metainfo.parse("de".getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("no 'info'");
        assertThatThrownBy(() -> Metainfo.parse("d4:info".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("malformed torrent file").hasMessageContaining("at byte");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Map.of("name", BValue.of("x"), "piece length", BValue.of(16384),
                "pieces", BValue.of(hashes(1))), Map.of()))).hasMessageContaining("neither 'length' nor 'files'");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Map.of("name", BValue.of("x"), "piece length", BValue.of(16384),
                "length", BValue.of(0), "pieces", BValue.of(hashes(0))), Map.of()))).hasMessageContaining("no data");
    }

    @Test
    void refusesATorrentLargerThanTheLimitBeforeDecoding() {
        assertThatThrownBy(() -> Metainfo.parse(new byte[Metainfo.MAX_TORRENT_BYTES + 1])).hasMessageContaining("exceeds");
    }
}

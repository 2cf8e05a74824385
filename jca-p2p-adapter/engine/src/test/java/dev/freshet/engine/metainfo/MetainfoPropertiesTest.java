package dev.freshet.engine.metainfo;

import dev.freshet.engine.bencode.BencodeException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the metainfo parser: every torrent the engine can write parses back to the same content (name,
 * files, piece length, privacy, info-hash), and any bytes parse to a torrent or to the parser's own exception.
 */
class MetainfoPropertiesTest {
    @Property(tries = 500)
    void aWrittenTorrentParsesBackToTheSameContent(@ForAll("infos") Info info) {
        Metainfo written = Metainfo.of(info, List.of(List.of("http://127.0.0.1:8080/announce")));
        Metainfo parsed = Metainfo.parse(written.toBytes());
        assertThat(parsed.infoHash()).isEqualTo(written.infoHash());
        assertThat(parsed.info().name()).isEqualTo(info.name());
        assertThat(parsed.info().files()).isEqualTo(info.files());
        assertThat(parsed.info().pieceLength()).isEqualTo(info.pieceLength());
        assertThat(parsed.info().isPrivate()).isEqualTo(info.isPrivate());
        assertThat(parsed.info().pieceCount()).isEqualTo(info.pieceCount());
        assertThat(MagnetLink.parse(parsed.magnet().toString()).infoHash()).isEqualTo(written.infoHash());
    }

    @Property(tries = 3000)
    void anyBytesAreATorrentOrRefusedByTheParser(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            Metainfo m = Metainfo.parse(bytes);
            assertThat(m.info().totalLength()).isNotNegative();
        } catch (MetainfoException | BencodeException refused) {
            // the parser's own answer
        }
    }

    @Property(tries = 1000)
    void aTorrentWithAChangedByteIsRefusedOrAnotherTorrent(@ForAll("infos") Info info, @ForAll("positions") double at,
                                                            @ForAll byte value) {
        byte[] bytes = Metainfo.of(info, List.of()).toBytes();
        int i = (int) (at * (bytes.length - 1));
        bytes[i] = value;
        try {
            Metainfo.parse(bytes);
        } catch (MetainfoException | BencodeException refused) {
            // fine: a changed byte may break the structure
        }
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Info> infos() {
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.', ' ', 'é')
                .ofMinLength(1).ofMaxLength(12).filter(s -> !s.equals(".") && !s.equals("..") && !s.isBlank());
        Arbitrary<Integer> pieceLength = Arbitraries.integers().between(14, 22).map(e -> 1 << e);
        Arbitrary<List<FileEntry>> files = Combinators.combine(segment.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.longs().between(0, 50_000_000)).as(FileEntry::new).list().ofMinSize(1).ofMaxSize(6)
                .uniqueElements(FileEntry::path).filter(MetainfoPropertiesTest::noFileIsADirectoryOfAnother);
        return Combinators.combine(segment, pieceLength, files, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((name, length, fs, multi, isPrivate) -> {
                    List<FileEntry> chosen = multi ? fs : List.of(new FileEntry(List.of(name), fs.get(0).length()));
                    if (chosen.stream().mapToLong(FileEntry::length).sum() == 0) { // a torrent holds some data
                        chosen = new java.util.ArrayList<>(chosen);
                        chosen.set(0, new FileEntry(chosen.get(0).path(), 1));
                    }
                    long total = chosen.stream().mapToLong(FileEntry::length).sum();
                    int pieces = (int) Math.max(0, (total + length - 1) / length);
                    byte[] hashes = new byte[20 * pieces];
                    for (int i = 0; i < hashes.length; i++) {
                        hashes[i] = (byte) (i * 31 + name.getBytes(StandardCharsets.UTF_8).length);
                    }
                    return Info.create(name, length, hashes, chosen, multi, isPrivate);
                });
    }

    /** a/b and a/b/c cannot both be files. */
    private static boolean noFileIsADirectoryOfAnother(List<FileEntry> files) {
        for (FileEntry f : files) {
            for (FileEntry g : files) {
                if (f != g && g.path().size() > f.path().size() && g.path().subList(0, f.path().size()).equals(f.path())) {
                    return false;
                }
            }
        }
        return true;
    }
}

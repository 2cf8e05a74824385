package dev.freshet.engine.metainfo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.engine.bencode.BencodeException;

/**
 * Coverage-guided fuzzing of the {@code .torrent} and magnet parsers (issue 10); see {@code BencodeFuzzTest}.
 * Nothing may escape but the parser's own exception; an accepted torrent writes back to one that parses to the
 * same info-hash.
 */
class MetainfoFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void torrent(byte[] input) {
        Metainfo m;
        try {
            m = Metainfo.parse(input);
        } catch (MetainfoException | BencodeException refused) {
            return;
        }
        if (!Metainfo.parse(m.toBytes()).infoHash().equals(m.infoHash())) {
            throw new AssertionError("a parsed torrent does not survive writing it back");
        }
        long sum = 0;
        for (FileEntry f : m.info().files()) {
            sum += f.length();
            if (f.length() < 0 || sum < 0) {
                throw new AssertionError("negative or overflowing file lengths accepted");
            }
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void magnet(String input) {
        try {
            MagnetLink.parse(input);
        } catch (MetainfoException refused) {
            // the parser's own answer to a bad link
        }
    }
}

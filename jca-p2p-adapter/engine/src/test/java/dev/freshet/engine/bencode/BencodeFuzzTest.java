package dev.freshet.engine.bencode;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the bencode reader (issue 10). In the suite it replays the kept corpus
 * ({@code src/test/resources/.../BencodeFuzzTestInputs}); {@code src/test/fuzz/run} fuzzes it for a million inputs.
 * Nothing may escape but {@link BencodeException}; and since the reader is strict (canonical encodings only),
 * whatever it accepts encodes back to exactly the same bytes.
 */
class BencodeFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void decode(byte[] input) {
        BValue v;
        try {
            v = Bencode.decode(input);
        } catch (BencodeException refused) {
            return;
        }
        byte[] again = Bencode.encode(v);
        if (!Arrays.equals(again, input)) {
            throw new AssertionError("accepted a non-canonical encoding: " + new String(input,
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}

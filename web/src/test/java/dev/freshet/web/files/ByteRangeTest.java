package dev.freshet.web.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest {
    @ParameterizedTest(name = "{0} of {1} bytes: {2} {3}-{4}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null                     | 1000 | WHOLE         | 0   | 999",
            "bytes=0-99               | 1000 | PART          | 0   | 99",
            "bytes=500-               | 1000 | PART          | 500 | 999",
            "bytes=900-5000           | 1000 | PART          | 900 | 999",
            "bytes=-100               | 1000 | PART          | 900 | 999",
            "bytes=-5000              | 1000 | PART          | 0   | 999",
            "BYTES=1-1                | 1000 | PART          | 1   | 1",
            "bytes=999-999            | 1000 | PART          | 999 | 999",
            "bytes=1000-              | 1000 | UNSATISFIABLE | 0   | -1",
            "bytes=5000-6000          | 1000 | UNSATISFIABLE | 0   | -1",
            "bytes=-0                 | 1000 | UNSATISFIABLE | 0   | -1",
            "bytes=0-                 | 0    | UNSATISFIABLE | 0   | -1",
            "bytes=-10                | 0    | UNSATISFIABLE | 0   | -1",
            "bytes=99999999999999999999999-  | 1000 | UNSATISFIABLE | 0   | -1",
            "bytes=0-99999999999999999999999 | 1000 | PART          | 0   | 999",
            "bytes=5-2                | 1000 | WHOLE         | 0   | 999",
            "bytes=0-1,5-6            | 1000 | WHOLE         | 0   | 999",
            "items=0-1                | 1000 | WHOLE         | 0   | 999",
            "bytes=-                  | 1000 | WHOLE         | 0   | 999",
            "bytes=a-b                | 1000 | WHOLE         | 0   | 999",
    })
    void readsOneRangeAsRfc9110Says(String header, long length, ByteRange.Kind kind, long first, long last) {
        ByteRange r = ByteRange.of(header, length);
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.first()).isEqualTo(first);
        assertThat(r.last()).isEqualTo(last);
    }
}

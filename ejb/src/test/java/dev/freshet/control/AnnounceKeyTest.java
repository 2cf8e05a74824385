package dev.freshet.control;

import dev.freshet.control.directory.AnnounceKey;
import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnnounceKeyTest {
    private static Metainfo torrentWith(List<List<String>> tiers) {
        Info info = Info.create("f", 16384, new byte[20], List.of(new FileEntry(List.of("f"), 10)), false, true);
        return new Metainfo(info, tiers.stream().flatMap(List::stream).findFirst(), tiers, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void aKeyGoesIntoEveryTrackerUrlAndIsFoundThere() {
        String key = AnnounceKey.generate();
        assertThat(key).matches("[0-9a-f]{32}").isNotEqualTo(AnnounceKey.generate());
        String url = AnnounceKey.addTo("http://127.0.0.1:8080/announce", key);
        assertThat(url).isEqualTo("http://127.0.0.1:8080/announce?auth=" + key);
        assertThat(AnnounceKey.addTo("http://h/announce?x=1", key)).isEqualTo("http://h/announce?x=1&auth=" + key);
        assertThat(AnnounceKey.of(torrentWith(List.of(List.of(url))))).contains(key);
        assertThat(AnnounceKey.of(torrentWith(List.of(List.of("http://h/announce?x=1&auth=" + key))))).contains(key);
        assertThat(AnnounceKey.of(torrentWith(List.of(List.of("http://h/announce?auth="))))).isEmpty();
        assertThat(AnnounceKey.of(torrentWith(List.of(List.of("http://h/announce"))))).isEmpty();
        assertThat(AnnounceKey.withoutQuery(url)).isEqualTo("http://127.0.0.1:8080/announce");
    }

    @Test
    void onlyTheSameKeyMatches() {
        assertThat(AnnounceKey.matches("abc", "abc")).isTrue();
        assertThat(AnnounceKey.matches("abc", "abd")).isFalse();
        assertThat(AnnounceKey.matches("abc", null)).isFalse();
        assertThat(AnnounceKey.matches(null, null)).isFalse();
        assertThat(AnnounceKey.matches(null, "abc")).isFalse();
    }

    @Test
    void publishOptionsAreCheckedWhenRead() {
        assertThat(PublishOptions.parse(null, null, null)).isEqualTo(PublishOptions.defaults());
        assertThat(PublishOptions.parse("all", "true", "262144")).isEqualTo(new PublishOptions("all", true, 262144));
        assertThatThrownBy(() -> PublishOptions.parse(null, "yes", null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("private");
        assertThatThrownBy(() -> PublishOptions.parse(null, null, "1000")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> PublishOptions.parse(null, null, "8192")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PublishOptions.parse(null, null, "many")).isInstanceOf(InvalidRequestException.class);
    }
}

package dev.freshet.engine.metainfo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MagnetLinkTest {
    private static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");

    @Test
    void roundTripsWithNameTrackersAndPeers() {
        MagnetLink m = new MagnetLink(HASH, Optional.of("my file & co"), List.of("http://127.0.0.1:8080/announce"),
                List.of("127.0.0.1:6881"));
        String text = m.toString();
        assertThat(text).startsWith("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=my%20file%20%26%20co");
        assertThat(MagnetLink.parse(text)).isEqualTo(m);
    }

    @Test
    void readsBase32InfoHashes() {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK");
        assertThat(m.infoHash()).isEqualTo(HASH);
    }

    @Test
    void ignoresUnknownParameters() {
        MagnetLink m = MagnetLink.parse("magnet:?xl=10&xt=urn:btih:" + HASH.hex().toUpperCase() + "&so=0-3");
        assertThat(m.infoHash()).isEqualTo(HASH);
        assertThat(m.displayName()).isEmpty();
    }

    @Test
    void refusesLinksWithoutAUsableInfoHash() {
        assertThatThrownBy(() -> MagnetLink.parse("http://x")).hasMessageContaining("magnet:?");
        assertThatThrownBy(() -> MagnetLink.parse("magnet:?dn=x")).hasMessageContaining("no 'xt=urn:btih:'");
        assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:1234")).hasMessageContaining("40 hex digits or 32 base32");
        assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:" + "g".repeat(40))).hasMessageContaining("not 40 hex");
        assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:" + "1".repeat(32))).hasMessageContaining("base32");
        assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:" + HASH.hex() + "&xt=urn:btih:" + HASH.hex()))
                .hasMessageContaining("more than one");
    }
}

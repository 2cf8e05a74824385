package dev.freshet.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code freshet.disk.quota} takes bytes with an optional binary multiple. */
class DiskSizeTest {
    @Test
    void sizesWithAndWithoutAMultiple() {
        assertThat(NodeSettings.bytes("0")).isZero();
        assertThat(NodeSettings.bytes("123")).isEqualTo(123);
        assertThat(NodeSettings.bytes("64k")).isEqualTo(64L << 10);
        assertThat(NodeSettings.bytes(" 500G ")).isEqualTo(500L << 30);
        assertThat(NodeSettings.bytes("2t")).isEqualTo(2L << 40);
        assertThat(NodeSettings.bytes("8388607t")).isEqualTo(8388607L << 40);
    }

    @Test
    void whatIsNotASizeIsRefused() {
        for (String bad : new String[] {"", "g", "-1", "1.5g", "lots", "8388608t", "99999999999999999999"}) {
            assertThatThrownBy(() -> NodeSettings.bytes(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a size");
        }
    }
}

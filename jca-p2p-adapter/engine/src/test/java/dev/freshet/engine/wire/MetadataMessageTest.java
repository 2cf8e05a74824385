package dev.freshet.engine.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataMessageTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void roundTripsRequestDataAndReject() {
        for (MetadataMessage m : new MetadataMessage[] {new MetadataMessage.Request(3),
                new MetadataMessage.Data(1, 20000, new byte[] {1, 2, 3}), new MetadataMessage.Reject(7)}) {
            assertThat(MetadataMessage.parse(m.encode())).contains(m);
        }
        assertThat(new String(new MetadataMessage.Request(0).encode(), StandardCharsets.ISO_8859_1))
                .isEqualTo("d8:msg_typei0e5:piecei0ee");
    }

    @Test
    void dataCarriesRawBytesAfterTheDictionary() {
        byte[] payload = bytes("d8:msg_typei1e5:piecei0e10:total_sizei5eeHELLO");
        MetadataMessage.Data d = (MetadataMessage.Data) MetadataMessage.parse(payload).orElseThrow();
        assertThat(d.totalSize()).isEqualTo(5);
        assertThat(new String(d.data(), StandardCharsets.US_ASCII)).isEqualTo("HELLO");
    }

    @Test
    void unknownMessageTypesAreIgnored() {
        assertThat(MetadataMessage.parse(bytes("d8:msg_typei9e5:piecei0ee"))).isEmpty();
    }

    @Test
    void malformedMessagesAreProtocolErrors() {
        assertThatThrownBy(() -> MetadataMessage.parse(bytes("d8:msg_type"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MetadataMessage.parse(bytes("le"))).hasMessageContaining("not a dictionary");
        assertThatThrownBy(() -> MetadataMessage.parse(bytes("d5:piecei0ee"))).hasMessageContaining("without msg_type");
        assertThatThrownBy(() -> MetadataMessage.parse(bytes("d8:msg_typei0e5:piecei-1ee"))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> MetadataMessage.parse(bytes("d8:msg_typei0e5:piecei0eeXX"))).hasMessageContaining("trailing");
        assertThatThrownBy(() -> MetadataMessage.parse(bytes("d8:msg_typei1e5:piecei0ee"))).hasMessageContaining("total_size");
        assertThatThrownBy(() -> new MetadataMessage.Data(0, 1, new byte[16385])).hasMessageContaining("exceeds 16 KiB");
    }
}

package dev.freshet.web.api.facade;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

class BitfieldTest {
    @Test
    void piecesAreInBep3OrderAndNothingPastTheCountIsSet() {
        BitSet pieces = new BitSet();
        pieces.set(0);
        pieces.set(9);
        pieces.set(11);
        pieces.set(12); // beyond a count of 12: dropped
        byte[] bytes = Base64.getDecoder().decode(SwarmAssembler.bitfield(pieces, 12));
        assertThat(bytes).containsExactly(0b1000_0000, 0b0101_0000);
        assertThat(Base64.getDecoder().decode(SwarmAssembler.bitfield(new BitSet(), 1))).containsExactly(0);
    }
}

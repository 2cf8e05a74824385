package dev.freshet.engine.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PieceLayoutTest {
    // files: 10, 0, 25, 0, 5 bytes; pieces of 16 bytes -> 40 bytes, 3 pieces (16, 16, 8)
    private final PieceLayout layout = new PieceLayout(16, new long[] {10, 0, 25, 0, 5});

    @Test
    void piecesRunAcrossFilesAndSkipEmptyOnes() {
        assertThat(layout.pieceCount()).isEqualTo(3);
        assertThat(layout.pieceSize(2)).isEqualTo(8);
        assertThat(layout.segments(0, 0, 16)).containsExactly(new PieceLayout.Segment(0, 0, 10), new PieceLayout.Segment(2, 0, 6));
        assertThat(layout.segments(2, 0, 8)).containsExactly(new PieceLayout.Segment(2, 22, 3), new PieceLayout.Segment(4, 0, 5));
        assertThat(layout.segments(1, 4, 2)).containsExactly(new PieceLayout.Segment(2, 10, 2));
    }

    @Test
    void filesMapToThePiecesTheyTouch() {
        assertThat(layout.piecesOfFile(0)).containsExactly(0, 0);
        assertThat(layout.piecesOfFile(1)).isEmpty();
        assertThat(layout.piecesOfFile(2)).containsExactly(0, 2);
        assertThat(layout.piecesOfFile(4)).containsExactly(2, 2);
    }

    @Test
    void blocksAreSixteenKibibytesWithAShortLastOne() {
        PieceLayout big = new PieceLayout(65536, new long[] {65536 + 20000});
        assertThat(big.blocksInPiece(0)).isEqualTo(4);
        assertThat(big.blocksInPiece(1)).isEqualTo(2);
        assertThat(big.blockSize(1, 1)).isEqualTo(20000 - 16384);
        assertThat(big.isValidRange(1, 16384, 20000 - 16384)).isTrue();
        assertThat(big.isValidRange(1, 16384, 20000 - 16383)).isFalse();
        assertThat(big.isValidRange(2, 0, 1)).isFalse();
        assertThat(big.isValidRange(0, -1, 1)).isFalse();
        assertThat(List.of(big.pieceSize(0), big.pieceSize(1))).containsExactly(65536, 20000);
    }
}

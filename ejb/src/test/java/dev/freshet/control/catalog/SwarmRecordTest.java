package dev.freshet.control.catalog;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

class SwarmRecordTest {
    private static BitSet of(int... pieces) {
        BitSet b = new BitSet();
        for (int p : pieces) {
            b.set(p);
        }
        return b;
    }

    @Test
    void progressAccumulatesVerifiedPiecesAndTotalsAcrossRuns() {
        SwarmRecord r = new SwarmRecord("ab".repeat(20), "x", 1000, 10, new byte[] {'d', 'e'}, "/tmp", "all");
        r.startRun();
        r.recordProgress(of(0, 1), 2, 200, 10);
        r.recordProgress(of(5, 42), 3, 300, 20); // 42 is past the piece count: dropped
        assertThat(r.verifiedPieces()).isEqualTo(of(0, 1, 5));
        assertThat(r.verifiedCount()).isEqualTo(3);
        assertThat(r.downloaded()).isEqualTo(300);
        // the node restarts: the engine counts from zero again, the record keeps the earlier run
        r.startRun();
        r.recordProgress(of(7), 4, 50, 5);
        assertThat(r.downloaded()).isEqualTo(350);
        assertThat(r.uploaded()).isEqualTo(25);
        assertThat(r.verifiedPieces()).isEqualTo(of(0, 1, 5, 7));
    }

    @Test
    void completionRemovalAndReinstatement() {
        SwarmRecord r = new SwarmRecord("cd".repeat(20), "x", 1000, 10, new byte[] {'d', 'e'}, "/tmp", "all");
        r.markComplete();
        assertThat(r.complete()).isTrue();
        assertThat(r.verifiedPieces().cardinality()).isEqualTo(10);
        assertThat(r.completedAt()).isNotNull();
        r.remove(false);
        assertThat(r.removed()).isTrue();
        assertThat(r.verifiedPieces().cardinality()).isEqualTo(10); // the data stays: so does its resume data
        r.reinstate("on-demand", "/other");
        assertThat(r.removed()).isFalse();
        assertThat(r.policy()).isEqualTo("on-demand");
        r.remove(true);
        assertThat(r.verifiedPieces().isEmpty()).isTrue();
        assertThat(r.complete()).isFalse();
    }
}

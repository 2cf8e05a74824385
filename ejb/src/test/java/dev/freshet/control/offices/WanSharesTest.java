package dev.freshet.control.offices;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WanSharesTest {
    private static long sum(Map<String, Long> parts) {
        return parts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void nodesHeldBackShareTheBudgetAlike() {
        Map<String, Long> parts = WanShares.divide(3_000_000, List.of(new WanShares.Demand("a", 1_000_000, true),
                new WanShares.Demand("b", 1_000_000, true), new WanShares.Demand("c", 1_000_000, true)));
        assertThat(parts).containsEntry("a", 1_000_000L).containsEntry("b", 1_000_000L).containsEntry("c", 1_000_000L);
    }

    @Test
    void thePartsAlwaysAddUpToTheBudgetAndEveryoneGetsSomething() {
        java.util.Random r = new java.util.Random(1);
        for (int round = 0; round < 1000; round++) {
            long budget = WanShares.FLOOR + r.nextInt(100_000_000);
            int n = 1 + r.nextInt(12);
            List<WanShares.Demand> demands = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                demands.add(new WanShares.Demand("m" + i, r.nextInt(50_000_000), r.nextBoolean()));
            }
            Map<String, Long> parts = WanShares.divide(budget, demands);
            assertThat(sum(parts)).isEqualTo(budget);
            assertThat(parts).hasSize(n);
            assertThat(parts.values()).allMatch(p -> p > 0);
        }
    }

    /** Shares go down at once, up only into what the other nodes do not hold in force. */
    @Test
    void aShareGrowsOnlyIntoWhatTheOthersDoNotHold() {
        // the other node still holds 20 of 40: 35 waits, 20 stays
        assertThat(WanShares.step(20, 35, 40, List.of(20L))).isEqualTo(20);
        // the other came down to 5: the part is taken
        assertThat(WanShares.step(20, 35, 40, List.of(5L))).isEqualTo(35);
        // part of it: 30 of the 35 free
        assertThat(WanShares.step(20, 35, 40, List.of(10L))).isEqualTo(30);
        // down at once; from no limit to the part at once; no budget: no limit
        assertThat(WanShares.step(35, 10, 40, List.of(30L))).isEqualTo(10);
        assertThat(WanShares.step(0, 25, 40, List.of(0L))).isEqualTo(25);
        assertThat(WanShares.step(25, 0, 0, List.of())).isZero();
        // another node still unlimited (it has not seen the budget yet) holds everything
        assertThat(WanShares.step(20, 30, 40, List.of(0L))).isEqualTo(20);
    }

    @Test
    void noBudgetMeansNoLimitForAnyone() {
        assertThat(WanShares.divide(0, List.of(new WanShares.Demand("a", 5, true)))).containsEntry("a", 0L);
        assertThat(WanShares.divide(1_000_000, List.of())).isEmpty();
    }

    @Test
    void aBudgetOutsideItsRangeIsRefusedWithWhatToFix() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OfficeBudget("paris", -1, 0, 0))
                .hasMessageContaining("'inLimit' must be 0 (no budget) or bytes per second from 16384");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OfficeBudget("paris", 0, Long.MAX_VALUE, 0))
                .hasMessageContaining("'outLimit'");
        assertThat(OfficeBudget.parse("paris", new OfficeBudget("paris", 20_000, 0, 7).text()))
                .isEqualTo(new OfficeBudget("paris", 20_000, 0, 7));
        assertThat(OfficeBudget.parse("paris", "nonsense")).isNull();
    }
}

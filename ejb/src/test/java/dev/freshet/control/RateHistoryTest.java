package dev.freshet.control;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateHistoryTest {
    @Test
    void keepsTheLastTenMinutesSecondBySecondWhateverRunsTheyComeIn() {
        RateHistory h = new RateHistory();
        List<RateHistory.Sample> expected = new ArrayList<>();
        for (long t = 1_000; t < 2_000; t++) {
            // runs of equal samples, changes, and a skipped second (a late timer): each sample kept as it came
            if (t == 1_500) {
                continue;
            }
            long down = t < 1_300 ? 0 : t < 1_700 ? (t / 10) * 10 : 42;
            h.add("s", t, down, 2 * down);
            expected.add(new RateHistory.Sample(t, down, 2 * down));
        }
        assertThat(h.of("s")).hasSize(RateHistory.SAMPLES)
                .containsExactlyElementsOf(expected.subList(expected.size() - RateHistory.SAMPLES, expected.size()));
        assertThat(h.latest("s")).contains(new RateHistory.Sample(1_999, 42, 84));
        assertThat(h.of("other")).isEmpty();
        assertThat(h.latest("other")).isEmpty();
    }
}

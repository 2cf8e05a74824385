package dev.freshet.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key token buckets behind the sign-in throttle and the tracker's announce rate. */
class KeyedRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstThenTheRateAndEachKeyOnItsOwn() {
        KeyedRate r = new KeyedRate(3, 2, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(r.tryTake("a", 0)).isZero();
        }
        assertThat(r.tryTake("a", 0)).isEqualTo(0.5); // empty: one token every half second
        assertThat(r.tryTake("b", 0)).isZero();
        assertThat(r.tryTake("a", SECOND / 2)).isZero();
        r.take("a", SECOND / 2);
        assertThat(r.secondsUntilToken("a", SECOND / 2)).isEqualTo(0.5); // take never goes below empty
        r.forget("a");
        assertThat(r.secondsUntilToken("a", SECOND / 2)).isZero();
    }

    @Test
    void keysBeyondTheBoundAreForgottenLeastRecentlyUsedFirst() {
        KeyedRate r = new KeyedRate(1, 0.001, 2);
        r.take("a", 0);
        r.take("b", 0);
        r.take("c", 0); // "a" goes: it starts again full
        assertThat(r.secondsUntilToken("a", 0)).isZero();
        assertThat(r.secondsUntilToken("c", 0)).isPositive();
    }
}

package dev.freshet.engine.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void refillsAtTheRateUpToAQuarterSecondBurst() {
        TokenBucket b = new TokenBucket(1_000_000, 0);
        assertThat(b.available()).isEqualTo(250_000);
        b.consume(250_000);
        assertThat(b.available()).isZero();
        b.refill(SECOND / 10);
        assertThat(b.available()).isEqualTo(100_000);
        b.refill(10 * SECOND);
        assertThat(b.available()).isEqualTo(250_000);
    }

    @Test
    void debtIsPaidBackBeforeMoreIsAllowed() {
        TokenBucket b = new TokenBucket(100_000, 0);
        b.consume(b.available() + 16_384);
        assertThat(b.available()).isZero();
        b.refill(SECOND / 10); // +10_000, still 6_384 in debt
        assertThat(b.available()).isZero();
    }

    @Test
    void zeroMeansUnlimitedAndTheRateCanChangeWhileRunning() {
        TokenBucket b = new TokenBucket(0, 0);
        assertThat(b.isUnlimited()).isTrue();
        b.consume(Long.MAX_VALUE / 8);
        assertThat(b.available()).isEqualTo(TokenBucket.UNLIMITED);
        b.setRate(4_000_000);
        b.refill(SECOND);
        assertThat(b.available()).isBetween(1L, 1_000_000L);
        assertThatThrownBy(() -> b.setRate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneRefillAtUseEarnsWhatARefillAtEveryTickDidAndAnEarlierTimeEarnsNothing() {
        TokenBucket eachTick = new TokenBucket(1_000_000, 0);
        TokenBucket atUse = new TokenBucket(1_000_000, 0);
        eachTick.consume(200_000);
        atUse.consume(200_000);
        for (int tick = 1; tick <= 3; tick++) {
            eachTick.refill(tick * SECOND / 20);
        }
        atUse.refill(3 * SECOND / 20);
        assertThat(atUse.available()).isEqualTo(eachTick.available()).isEqualTo(200_000);
        // a bucket made after the last tick, refilled to that tick: nothing earned, and its own time is kept
        TokenBucket late = new TokenBucket(1_000_000, SECOND);
        late.consume(250_000);
        late.refill(SECOND - SECOND / 20);
        assertThat(late.available()).isZero();
        late.refill(SECOND + SECOND / 10);
        assertThat(late.available()).isEqualTo(100_000);
    }
}

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
}

package dev.freshet.engine.swarm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateMeterTest {
    @Test
    void followsTheTrafficAndFallsToZeroWhenItStops() {
        RateMeter m = new RateMeter();
        for (int i = 0; i < 10; i++) {
            m.add(1_000_000);
            m.sample(1.0);
        }
        assertThat(m.rate()).isEqualTo(1_000_000);
        m.sample(1.0);
        assertThat(m.rate()).isEqualTo(600_000);
        for (int i = 0; i < 40; i++) {
            m.sample(1.0);
        }
        assertThat(m.rate()).as("no traffic for 40 s").isZero();
        assertThat(m.total()).isEqualTo(10_000_000);
    }
}

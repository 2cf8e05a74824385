package dev.freshet.engine.swarm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's timeouts come from its configuration: a shorter handshake timeout closes a silent connection sooner. */
class TimeoutsTest {
    @RegisterExtension
    final EngineHarness harness = new EngineHarness();

    @Test
    void aConnectionWithoutHandshakeIsClosedAfterTheConfiguredTimeout() throws Exception {
        Timeouts quick = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(180), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
        EngineHarness.Node node = harness.start(EngineHarness.config().timeouts(quick));
        try (Socket s = new Socket("127.0.0.1", node.address().getPort())) {
            s.setSoTimeout(8000); // the default (10 s) would not close it within this
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        }
    }

    @Test
    void timeoutsMustBePositiveAndRoundsWholeSeconds() {
        assertThatThrownBy(() -> new Timeouts(Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(180), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(180), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
    }
}

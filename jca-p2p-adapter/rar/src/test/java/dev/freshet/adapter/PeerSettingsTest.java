package dev.freshet.adapter;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerSettingsTest {
    private static PeerSettings resolve(Map<String, String> sys, Map<String, String> env) {
        return PeerSettings.resolve("0.0.0.0", 6881, sys::get, env::get);
    }

    @Test
    void adapterDefaultsApplyUnlessTheNodeSaysOtherwise() {
        assertThat(resolve(Map.of(), Map.of()).listen().getPort()).isEqualTo(6881);
        assertThat(resolve(Map.of(), Map.of("FRESHET_PEER_PORT", "7000")).listen().getPort()).isEqualTo(7000);
        PeerSettings s = resolve(Map.of("freshet.peer.port", "7001", "freshet.peer.bind", "127.0.0.1"),
                Map.of("FRESHET_PEER_PORT", "7000"));
        assertThat(s.listen().getPort()).isEqualTo(7001); // a system property wins over the environment
        assertThat(s.listen().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    /**
     * The uber-jar bakes a loopback default into its system properties, and Payara Micro applies those after the
     * command line: a baked freshet.peer.bind silently beat the launcher's -Dfreshet.peer.bind, so a node started
     * with FRESHET_INTERFACE listened for peers on 127.0.0.1 only (found by the WAN lab). The baked value is now a
     * default, below anything the node is told.
     */
    @Test
    void aBakedDefaultNeverBeatsWhatTheNodeIsTold() {
        Map<String, String> baked = Map.of("freshet.peer.bind.default", "127.0.0.1");
        assertThat(resolve(baked, Map.of()).listen().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        java.util.HashMap<String, String> told = new java.util.HashMap<>(baked);
        told.put("freshet.peer.bind", "127.0.0.5");
        assertThat(resolve(told, Map.of()).listen().getAddress().getHostAddress()).isEqualTo("127.0.0.5");
        assertThat(resolve(baked, Map.of("FRESHET_PEER_BIND", "127.0.0.6")).listen().getAddress().getHostAddress())
                .isEqualTo("127.0.0.6");
    }

    @Test
    void theScrubPaceIsASettingOfTheNode() {
        assertThat(resolve(Map.of(), Map.of()).scrubRate())
                .isEqualTo(dev.freshet.engine.swarm.EngineConfig.DEFAULT_SCRUB_RATE);
        assertThat(resolve(Map.of("freshet.scrub.rate", "0"), Map.of()).scrubRate()).isZero();
        assertThat(resolve(Map.of(), Map.of("FRESHET_SCRUB_RATE", "1048576")).scrubRate()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> resolve(Map.of("freshet.scrub.rate", "-1"), Map.of()))
                .hasMessageContaining("freshet.scrub.rate");
        assertThatThrownBy(() -> resolve(Map.of("freshet.scrub.rate", "fast"), Map.of()))
                .hasMessageContaining("'fast'");
        assertThat(resolve(Map.of(), Map.of()).scrubEvery()).hasHours(24);
        assertThat(resolve(Map.of("freshet.scrub.hours", "168"), Map.of()).scrubEvery()).hasDays(7);
        assertThat(resolve(Map.of(), Map.of("FRESHET_SCRUB_HOURS", "1")).scrubEvery()).hasHours(1);
        for (String bad : new String[] {"0", "-3", "daily", "9000"}) {
            assertThatThrownBy(() -> resolve(Map.of("freshet.scrub.hours", bad), Map.of()))
                    .hasMessageContaining("freshet.scrub.hours").hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> resolve(Map.of("freshet.peer.port", "http"), Map.of()))
                .hasMessageContaining("freshet.peer.port").hasMessageContaining("http");
        assertThatThrownBy(() -> resolve(Map.of("freshet.peer.port", "70000"), Map.of()))
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> resolve(Map.of("freshet.peer.bind", "no.such.host.invalid"), Map.of()))
                .hasMessageContaining("freshet.peer.bind");
    }
}

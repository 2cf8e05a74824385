package dev.freshet.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13: where credentials are taken over plain HTTP, by the remote address the container reports. */
class PlainCredentialsTest {
    @Test
    void loopbackTakesLoopbackLiteralsOnly() {
        NodeSettings.PlainCredentials p = NodeSettings.PlainCredentials.LOOPBACK;
        for (String a : new String[] {"127.0.0.1", "127.0.0.77", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1"}) {
            assertThat(p.allows(a)).as(a).isTrue();
        }
        for (String a : new String[] {"198.18.0.11", "::ffff:198.18.0.11", "localhost", "cafe",
                "127.0.0.1.example", "", null}) {
            assertThat(p.allows(a)).as(String.valueOf(a)).isFalse();
        }
    }

    @Test
    void neverAndAnywhereDoWhatTheySay() {
        assertThat(NodeSettings.PlainCredentials.NEVER.allows("127.0.0.1")).isFalse();
        assertThat(NodeSettings.PlainCredentials.ANYWHERE.allows("198.18.0.11")).isTrue();
    }
}

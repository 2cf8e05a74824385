package dev.freshet.control;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginGuardTest {
    /**
     * Names that resolve as written here: no DNS, and nothing is ever dialled (the guard only classifies addresses;
     * {@code InetAddress.getByName} of a literal looks nothing up). The link-local, wildcard and multicast literals
     * are the classes under test; an ordinary allowed origin is given an address of the benchmark range.
     */
    static final Map<String, String> ADDRESSES = Map.of("artifacts.corp", "198.18.0.5", "metadata.corp", "169.254.169.254",
            "local.corp", "127.0.0.1", "v6local.corp", "fe80::1", "any.corp", "0.0.0.0", "group.corp", "224.0.0.1",
            "loop6.corp", "::1");

    static OriginGuard guard(boolean loopback, String... allowed) {
        return new OriginGuard(List.of(allowed), loopback, host -> new InetAddress[] {
                InetAddress.getByName(ADDRESSES.getOrDefault(host, "198.18.0.6"))});
    }

    @Test
    void anAllowedHostOnAnOrdinaryAddressIsFine() {
        assertThat(guard(false, "artifacts.corp").check("https://artifacts.corp/repo/app-1.0.tar"))
                .isEqualTo(URI.create("https://artifacts.corp/repo/app-1.0.tar"));
        assertThat(guard(false, "artifacts.corp:8081").check("http://artifacts.corp:8081/x")).isNotNull();
    }

    @Test
    void refusesWhatItMayNotFetch() {
        assertThatThrownBy(() -> guard(false).check("https://artifacts.corp/x")).isInstanceOf(PublishRefusedException.class)
                .hasMessageContaining("freshet.publish.url-hosts is not set");
        assertThatThrownBy(() -> guard(false, "artifacts.corp").check("ftp://artifacts.corp/x"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> guard(false, "artifacts.corp").check("file:///etc/passwd"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> guard(false, "artifacts.corp").check("https://user:pw@artifacts.corp/x"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no user name");
        assertThatThrownBy(() -> guard(false, "artifacts.corp").check("https://elsewhere.corp/x"))
                .isInstanceOf(PublishRefusedException.class).hasMessageContaining("not among the origins");
        assertThatThrownBy(() -> guard(false, "artifacts.corp:8081").check("http://artifacts.corp/x"))
                .isInstanceOf(PublishRefusedException.class).hasMessageContaining("artifacts.corp:80");
        assertThatThrownBy(() -> guard(false, "artifacts.corp").check("not a url at all"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesHostsThatResolveToLinkLocalWildcardMulticastOrLoopback() {
        for (String host : List.of("metadata.corp", "v6local.corp", "any.corp", "group.corp", "local.corp", "loop6.corp")) {
            assertThatThrownBy(() -> guard(false, host).check("http://" + host + "/x")).as(host)
                    .isInstanceOf(PublishRefusedException.class).hasMessageContaining("refused");
        }
        assertThat(guard(true, "local.corp").check("http://local.corp/x")).as("loopback when allowed").isNotNull();
        assertThatThrownBy(() -> guard(true, "metadata.corp").check("http://metadata.corp/x"))
                .as("never link-local").isInstanceOf(PublishRefusedException.class).hasMessageContaining("link-local");
    }

    @Test
    void redirectsStayOnTheirOrigin() {
        URI first = URI.create("https://artifacts.corp/a");
        assertThat(OriginGuard.sameOrigin(first, URI.create("https://artifacts.corp:443/b"))).isTrue();
        assertThat(OriginGuard.sameOrigin(first, URI.create("https://ARTIFACTS.corp/b"))).isTrue();
        assertThat(OriginGuard.sameOrigin(first, URI.create("http://artifacts.corp/b"))).isFalse();
        assertThat(OriginGuard.sameOrigin(first, URI.create("https://artifacts.corp:8443/b"))).isFalse();
        assertThat(OriginGuard.sameOrigin(first, URI.create("https://evil.example/b"))).isFalse();
        assertThat(OriginGuard.sameOrigin(first, URI.create("/relative"))).isFalse();
    }
}

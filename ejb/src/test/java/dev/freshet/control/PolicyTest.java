package dev.freshet.control;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {
    @Test
    void theThreeFormsParseAndPrintBack() {
        assertThat(Policy.parse("all")).isEqualTo(Policy.ALL).hasToString("all");
        assertThat(Policy.parse(" on-demand ")).isEqualTo(Policy.ON_DEMAND).hasToString("on-demand");
        assertThat(Policy.parse("offices: paris ,berlin,paris")).hasToString("offices:berlin,paris")
                .isEqualTo(Policy.parse("offices:berlin,paris"));
    }

    @Test
    void whoFetchesWhat() {
        assertThat(Policy.ALL.fetchesBy("anywhere")).isTrue();
        assertThat(Policy.ON_DEMAND.fetchesBy("anywhere")).isFalse();
        Policy p = Policy.parse("offices:hq,lab-2");
        assertThat(p.fetchesBy("hq")).isTrue();
        assertThat(p.fetchesBy("lab-2")).isTrue();
        assertThat(p.fetchesBy("paris")).isFalse();
        assertThat(p.fetchesBy("HQ")).isFalse();
    }

    @Test
    void aPolicyIsWithinOfficesWhenEveryNodeItFetchesToIsOfOneOfThem() {
        assertThat(Policy.parse("offices:paris").within(Set.of("paris"))).isTrue();
        assertThat(Policy.parse("offices:paris,berlin").within(Set.of("paris", "berlin", "rome"))).isTrue();
        assertThat(Policy.parse("offices:paris,berlin").within(Set.of("paris"))).isFalse();
        assertThat(Policy.parse("all").within(Set.of("paris"))).isFalse();
        assertThat(Policy.parse("on-demand").within(Set.of("paris"))).isFalse();
    }

    @Test
    void anApiTokenOfSomeOfficesPublishesOnlyWithinThem() {
        dev.freshet.control.tokens.ApiToken any = new dev.freshet.control.tokens.ApiToken("0123456789ab", "ci",
                "publisher", List.of(), 1, 0, 0, "admin", "00", 1);
        dev.freshet.control.tokens.ApiToken paris = new dev.freshet.control.tokens.ApiToken("0123456789ab", "ci",
                "publisher", List.of("paris"), 1, 0, 0, "admin", "00", 1);
        assertThat(any.mayPublish(Policy.ALL)).isTrue();
        assertThat(paris.mayPublish(Policy.parse("offices:paris"))).isTrue();
        assertThat(paris.mayPublish(Policy.parse("offices:paris,berlin"))).isFalse();
        assertThat(paris.mayPublish(Policy.ALL)).isFalse();
        assertThat(paris.mayPublish(Policy.ON_DEMAND)).isFalse();
        assertThat(paris.expired(5)).isFalse();
        assertThat(new dev.freshet.control.tokens.ApiToken("0123456789ab", "ci", "viewer", null, 1, 10, 0, "admin",
                "00", 1).expired(10)).isTrue();
        assertThat(paris.revokedAt(7).revoked()).isTrue();
        assertThat(paris.revokedAt(7).changedAt()).isEqualTo(7);
    }

    @Test
    void malformedPoliciesSayWhatIsAccepted() {
        assertThatThrownBy(() -> Policy.parse("everyone")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("all, on-demand or offices:");
        assertThatThrownBy(() -> Policy.parse(null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Policy.parse("offices:")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("names no office");
        assertThatThrownBy(() -> Policy.parse("offices:a b")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("office name");
        assertThatThrownBy(() -> Policy.parse("offices:../x")).isInstanceOf(InvalidRequestException.class);
    }
}

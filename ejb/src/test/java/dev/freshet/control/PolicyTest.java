package dev.freshet.control;

import org.junit.jupiter.api.Test;

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

package dev.freshet.web.audit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTrailTest {
    static final String H = "0123456789abcdef0123456789abcdef01234567";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/swarms                               | /api/swarms                              | ''",
            "/api/swarms/" + H + "/pause               | /api/swarms/{infoHash}/pause             | " + H,
            "/api/swarms/" + H + "                     | /api/swarms/{infoHash}                   | " + H,
            "/files/" + H + "/build/a.bin              | /files/{infoHash}/build/a.bin            | " + H,
            "/api/offices/paris/budget                 | /api/offices/{office}/budget             | paris",
            "/api/tokens/0123456789ab                  | /api/tokens/{id}                         | 0123456789ab",
            "/api/settings                             | /api/settings                            | settings",
    })
    void namesTheVariablePartsOfAPathAndTakesTheTarget(String path, String template, String target) {
        assertThat(AuditTrail.template(path)).isEqualTo(template);
        assertThat(AuditTrail.target(path)).isEqualTo(target);
    }
}

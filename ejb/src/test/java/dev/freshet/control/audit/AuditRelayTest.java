package dev.freshet.control.audit;

import dev.freshet.control.catalog.AuditRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What one node puts into the grid is what another writes into its catalog: the same entry, id and all. */
class AuditRelayTest {
    @Test
    void anEntryCrossesTheGridUnchanged() {
        AuditRecord r = new AuditRecord(1_796_000_000_000L, "token:0123456789ab", "publisher",
                "POST /api/swarms/{infoHash}/pause", "a".repeat(40), "127.0.0.1", 200);
        r.servedBy("hq-1");
        AuditRecord copy = AuditRelay.parse(AuditRelay.json(r));
        assertThat(copy).usingRecursiveComparison().isEqualTo(r);
        assertThat(copy.id()).isEqualTo(r.id());
        assertThat(copy.node()).isEqualTo("hq-1");
    }

    @Test
    void whatCannotBeAnEntryIsRefused() {
        String good = AuditRelay.json(new AuditRecord(1, "admin", "admin", "PUT /api/settings", "settings", "::1", 200));
        assertThatThrownBy(() -> AuditRelay.parse(good.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"../../x\"")))
                .hasMessageContaining("UUID");
        assertThatThrownBy(() -> AuditRelay.parse("{\"id\":1}")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> AuditRelay.parse("not json")).isInstanceOf(RuntimeException.class);
        // overlong fields are cut as a local entry's are
        AuditRecord long_ = AuditRelay.parse(good.replace("\"who\":\"admin\"", "\"who\":\"" + "w".repeat(500) + "\""));
        assertThat(long_.who()).hasSize(128);
    }
}

package dev.freshet.control.grid;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 13: grid entries sealed by the cluster secret open only with it, only where they were written. */
class GridSealTest {
    private static final String SECRET = "a-cluster-secret-of-forty-characters-000";
    private static final String OTHER = "another-cluster-secret-of-forty-chars-00";

    @Test
    void aSealedValueOpensWithTheSecretUnderItsMapAndKey() {
        GridSeal seal = GridSeal.of(SECRET);
        String sealed = seal.seal("freshet.swarms", "abc", "{\"announceKey\":\"k-123\"}");
        assertThat(sealed).startsWith("fs1." + seal.sealingKeyId() + ".").doesNotContain("k-123").doesNotContain("announceKey");
        assertThat(seal.open("freshet.swarms", "abc", sealed)).contains("{\"announceKey\":\"k-123\"}");
        assertThat(seal.refusedTotal()).isZero();
    }

    @Test
    void sealingIsDeterministicSoCompareAndSetStillWorks() {
        GridSeal seal = GridSeal.of(SECRET);
        assertThat(seal.seal("m", "k", "v")).isEqualTo(seal.seal("m", "k", "v"))
                .isNotEqualTo(seal.seal("m", "k", "w")).isNotEqualTo(seal.seal("m", "k2", "v"));
    }

    @Test
    void anEntryMovedToAnotherKeyOrMapDoesNotOpen() {
        GridSeal seal = GridSeal.of(SECRET);
        String sealed = seal.seal("freshet.swarms", "abc", "v");
        assertThat(seal.open("freshet.swarms", "abd", sealed)).isEmpty();
        assertThat(seal.open("freshet.members", "abc", sealed)).isEmpty();
        assertThat(seal.refusals()).extracting(GridSeal.Refusal::space).containsExactly("freshet.members", "freshet.swarms");
        assertThat(seal.refusals().get(1).reason()).contains("does not verify");
    }

    @Test
    void everyChangedCharacterIsRefused() {
        GridSeal seal = GridSeal.of(SECRET);
        String sealed = seal.seal("m", "k", "a value of some length");
        for (int i = 0; i < sealed.length(); i++) {
            char c = sealed.charAt(i);
            String changed = sealed.substring(0, i) + (c == 'A' ? 'B' : 'A') + sealed.substring(i + 1);
            assertThat(seal.open("m", "k", changed)).as("changed at %d", i).isEmpty();
        }
        assertThat(seal.open("m", "k", sealed.substring(0, sealed.length() - 1))).isEmpty();
        assertThat(seal.open("m", "k", "fs1.")).isEmpty();
        assertThat(seal.open("m", "k", "fs1." + seal.sealingKeyId() + ".")).isEmpty();
        assertThat(seal.open("m", "k", "fs1." + seal.sealingKeyId() + ".%%%")).isEmpty();
        assertThat(seal.refusedTotal()).isEqualTo(sealed.length() + 4);
    }

    @Test
    void plainTextAndEntriesOfAnotherSecretAreRefusedAndSaidWhy() {
        GridSeal mine = GridSeal.of(SECRET);
        GridSeal theirs = GridSeal.of(OTHER);
        assertThat(mine.open("m", "k", "{\"policy\":\"all\"}")).isEmpty();
        assertThat(mine.open("m", "k", theirs.seal("m", "k", "v"))).isEmpty();
        assertThat(mine.refusals().get(0).count()).isEqualTo(2);
        assertThat(mine.refusals().get(0).reason()).contains("a secret this node does not hold (key " + theirs.sealingKeyId());
        // a forged prefix with this node's key id does not help
        String forged = "fs1." + mine.sealingKeyId() + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[40]);
        assertThat(mine.open("m", "k", forged)).isEmpty();
    }

    @Test
    void aNewSecretRollsInOldAndNewOpenDuringTheRoll() {
        GridSeal old = GridSeal.of(SECRET);
        GridSeal accepting = GridSeal.of(SECRET, OTHER); // phase 1: new accepted, old seals
        GridSeal switched = GridSeal.of(OTHER, SECRET); // phase 2: new seals, old accepted
        GridSeal done = GridSeal.of(OTHER); // phase 3: old dropped
        String byOld = old.seal("m", "k", "v");
        String bySwitched = switched.seal("m", "k", "v");
        assertThat(accepting.open("m", "k", byOld)).contains("v");
        assertThat(accepting.open("m", "k", bySwitched)).contains("v");
        assertThat(switched.open("m", "k", byOld)).contains("v");
        assertThat(switched.sealedNow(byOld)).isFalse();
        assertThat(switched.sealedNow(bySwitched)).isTrue();
        assertThat(done.open("m", "k", byOld)).isEmpty();
        assertThat(accepting.acceptedKeyIds()).containsExactly(old.sealingKeyId(), done.sealingKeyId());
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> GridSeal.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 characters");
    }
}

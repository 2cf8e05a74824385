package dev.freshet.engine.choker;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChokerTest {
    private static Choker.Candidate<String> peer(String name, boolean interested, long down, long up) {
        return new Choker.Candidate<>(name, interested, down, up);
    }

    private final List<Choker.Candidate<String>> peers = List.of(
            peer("a", true, 100, 1), peer("b", true, 300, 2), peer("c", true, 200, 3),
            peer("d", false, 999, 999), peer("e", true, 50, 4), peer("f", true, 10, 5));

    @Test
    void whileDownloadingUnchokesThoseWhoGiveUsMostPlusOneOptimistic() {
        Choker<String> choker = new Choker<>(2, new Random(1));
        Set<String> unchoked = choker.choose(peers, false, true);
        assertThat(unchoked).contains("b", "c").hasSize(3).doesNotContain("d");
        assertThat(choker.optimistic()).isPresent().get().isIn("a", "e", "f");
    }

    @Test
    void whileSeedingUnchokesThoseWeUploadToFastest() {
        Choker<String> choker = new Choker<>(2, new Random(1));
        Set<String> unchoked = choker.choose(peers, true, true);
        assertThat(unchoked).contains("f", "e").hasSize(3);
    }

    @Test
    void keepsTheOptimisticUnchokeUntilAskedToRotate() {
        Choker<String> choker = new Choker<>(1, new Random(2));
        choker.choose(peers, false, true);
        String first = choker.optimistic().orElseThrow();
        for (int i = 0; i < 5; i++) {
            choker.choose(peers, false, false);
            assertThat(choker.optimistic()).contains(first);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            choker.choose(peers, false, true);
            seen.add(choker.optimistic().orElseThrow());
        }
        assertThat(seen).hasSizeGreaterThan(1).doesNotContain("b", "d");
    }

    @Test
    void nobodyInterestedMeansNobodyUnchoked() {
        Choker<String> choker = new Choker<>(4, new Random(3));
        assertThat(choker.choose(List.of(peer("x", false, 5, 5)), false, true)).isEmpty();
        assertThat(choker.optimistic()).isEmpty();
    }
}

package dev.freshet.control;

import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 14, item 4: which copies a node under disk pressure may give up, and when it must keep one. */
class RetentionTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private static Retention.Copy copy(String hash, String policy, boolean own, int minutes) {
        return new Retention.Copy(hash, "name-" + hash, policy, own, T.plusSeconds(60L * minutes));
    }

    @Test
    void onlyCopiesHeldOnDemandOrByAnOldPolicyGoLeastRecentlyUsedFirst() {
        List<Retention.Copy> held = List.of(
                copy("a", "on-demand", true, 30),
                copy("b", "all", true, 5),            // wanted here by its policy: stays
                copy("c", "on-demand", true, 10),
                copy("d", "all", true, 1),            // its policy now wants paris only: an old policy here
                copy("e", "on-demand", false, 0),     // published from a server path here: the user's files
                copy("f", "all", true, 2));           // not published any more: nothing wants it here
        Map<String, Policy> published = Map.of("a", Policy.ON_DEMAND, "b", Policy.parse("all"), "c", Policy.ON_DEMAND,
                "d", Policy.parse("offices:paris"), "e", Policy.ON_DEMAND);
        assertThat(Retention.candidates(held, published, "berlin")).extracting(Retention.Copy::infoHash)
                .containsExactly("d", "f", "c", "a");
        assertThat(Retention.candidates(held, published, "paris")).extracting(Retention.Copy::infoHash)
                .as("in paris the new policy wants d").containsExactly("f", "c", "a");
    }

    private static MemberEntry member(String id, String office) {
        return new MemberEntry(id, id, office, "127.0.0.1", 6881, 0, "", "", "");
    }

    private static Holding holding(String member, boolean complete) {
        return Holding.of("h", member, complete ? 10 : 3, 10, complete ? "SEEDING" : "DOWNLOADING");
    }

    @Test
    void neverTheClustersLastCompleteCopyNorAnOfficesLastOneItsPolicyWantsThere() {
        List<MemberEntry> members = List.of(member("me", "berlin"), member("b2", "berlin"), member("p1", "paris"));
        // another complete copy elsewhere: on-demand may go
        assertThat(Retention.mayGo("me", "berlin", Policy.ON_DEMAND,
                List.of(holding("me", true), holding("p1", true)), members)).isTrue();
        // the cluster's last complete copy (the others are partial, or their member is gone)
        assertThat(Retention.mayGo("me", "berlin", Policy.ON_DEMAND,
                List.of(holding("me", true), holding("p1", false), holding("gone", true)), members)).isFalse();
        // the policy wants it in berlin and the only other complete copy is in paris: berlin's last one stays
        assertThat(Retention.mayGo("me", "berlin", Policy.parse("offices:berlin"),
                List.of(holding("me", true), holding("p1", true)), members)).isFalse();
        assertThat(Retention.mayGo("me", "berlin", Policy.parse("offices:berlin"),
                List.of(holding("me", true), holding("b2", true)), members)).isTrue();
        // not published any more: any other complete copy will do
        assertThat(Retention.mayGo("me", "berlin", null, List.of(holding("me", true), holding("p1", true)), members))
                .isTrue();
    }
}

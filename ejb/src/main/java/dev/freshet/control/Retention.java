package dev.freshet.control;

import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which copy a node under disk pressure gives up (issue 14, item 4), as pure decisions: {@link RetentionJob} runs
 * them with the catalog, the directory and the engine.
 * <ul>
 *   <li>Only copies the node holds by {@code on-demand} (someone asked for it here) or by an old policy (the swarm's
 *       policy in the directory no longer wants it in this office) may go; what the swarm's policy wants here, and
 *       what this node published from a server path (the user's own files), stay.</li>
 *   <li>Least recently used first: the last time a peer took data from it, it completed, or it was added.</li>
 *   <li>Never an office's last complete copy of a swarm its policy wants in that office, and never the cluster's last
 *       complete copy: the node asks under the swarm's cluster-wide lock, with the holdings read then
 *       ({@link #mayGo}).</li>
 * </ul>
 */
public final class Retention {
    private Retention() {
    }

    /** One copy this node holds: what retention looks at. */
    public record Copy(String infoHash, String name, String recordPolicy, boolean ownFiles, Instant lastUsed) {
    }

    /**
     * The copies that may go, least recently used first. {@code publishedPolicy}: the swarm's policy in the directory
     * by info-hash (absent: not published any more).
     */
    public static List<Copy> candidates(List<Copy> held, Map<String, Policy> publishedPolicy, String office) {
        return held.stream().filter(c -> c.ownFiles())
                .filter(c -> Policy.parse(c.recordPolicy()).equals(Policy.ON_DEMAND)
                        || !Optional.ofNullable(publishedPolicy.get(c.infoHash())).orElse(Policy.ON_DEMAND).fetchesBy(office))
                .sorted(Comparator.comparing(Copy::lastUsed, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Copy::infoHash))
                .toList();
    }

    /**
     * Whether this member ({@code self}, of {@code office}) may drop its copy of a swarm whose policy is
     * {@code policy} (null: not published), given every member's holding of it now and the live members: another
     * member must hold it complete, and one in this office when the policy wants it here.
     */
    public static boolean mayGo(String self, String office, Policy policy, List<Holding> holdings,
                                List<MemberEntry> members) {
        Map<String, String> officeOf = members.stream().collect(Collectors.toMap(MemberEntry::memberId,
                MemberEntry::office, (a, b) -> a));
        Set<String> others = holdings.stream().filter(Holding::complete).map(Holding::memberId)
                .filter(m -> !m.equals(self) && officeOf.containsKey(m)).collect(Collectors.toSet());
        if (others.isEmpty()) {
            return false; // the cluster's last complete copy
        }
        if (policy != null && policy.fetchesBy(office)) {
            return others.stream().anyMatch(m -> office.equals(officeOf.get(m)));
        }
        return true;
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendezvous rule behind one WAN fetch per piece per office: every member computes the same owner for every
 * piece, the shares are about even, and when a member goes only its own pieces change hands.
 */
class OfficeShareTest {
    private static List<Long> members(int n, long seed) {
        Random r = new Random(seed);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] id = "-FR0001-000000000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int b = 8; b < 20; b++) {
                id[b] = (byte) ('0' + r.nextInt(10)); // same client prefix, as real peer ids
            }
            keys.add(OfficeShare.key(PeerId.of(id)));
        }
        return keys;
    }

    private static int owner(List<Long> keys, int piece) {
        int best = 0;
        for (int i = 1; i < keys.size(); i++) {
            if (OfficeShare.beats(keys.get(i), keys.get(best), piece)) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void sharesAreEvenAndAMemberThatGoesMovesOnlyItsOwnPieces() {
        List<Long> keys = members(10, 1);
        int pieces = 20_000;
        int[] count = new int[keys.size()];
        int[] owners = new int[pieces];
        for (int p = 0; p < pieces; p++) {
            owners[p] = owner(keys, p);
            count[owners[p]]++;
        }
        for (int c : count) {
            assertThat(c).as("a member's share of %d pieces among 10", pieces).isBetween(1_700, 2_300);
        }
        List<Long> without3 = new ArrayList<>(keys);
        without3.remove(3);
        for (int p = 0; p < pieces; p++) {
            int now = owner(without3, p);
            if (owners[p] != 3) {
                assertThat(without3.get(now)).as("piece %d keeps its owner", p).isEqualTo(keys.get(owners[p]));
            }
        }
    }
}

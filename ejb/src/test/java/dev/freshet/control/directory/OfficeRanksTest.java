package dev.freshet.control.directory;

import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OfficeRanksTest {
    private static MemberEntry member(String id, String office, String peerIdHex) {
        return new MemberEntry(id, id, office, "127.0.0.1", 6881, 0, "", peerIdHex, "");
    }

    private static PeerId peer(int n) {
        byte[] b = new byte[20];
        b[19] = (byte) n;
        return PeerId.of(b);
    }

    private static String hex(PeerId p) {
        return java.util.HexFormat.of().formatHex(p.bytes());
    }

    @Test
    void sameOfficeFirstThenTheClusterThenEveryoneElse() {
        MemberEntry self = member("a", "paris", hex(peer(1)));
        List<MemberEntry> members = List.of(self, member("b", "paris", hex(peer(2))), member("c", "berlin", hex(peer(3))),
                member("d", "berlin", "not hex"));
        OfficeRanks ranks = OfficeRanks.of(self, members);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 1);
        assertThat(ranks.rank(peer(2), any)).isEqualTo(OfficeRanks.SAME_OFFICE);
        assertThat(ranks.rank(peer(3), any)).isEqualTo(OfficeRanks.OTHER_OFFICE);
        assertThat(ranks.rank(peer(9), any)).isEqualTo(OfficeRanks.OUTSIDE);
        assertThat(ranks.rank(peer(1), any)).as("not itself").isEqualTo(OfficeRanks.OUTSIDE);
        assertThat(OfficeRanks.of(self, members)).as("the same directory gives equal ranks (not sent again)").isEqualTo(ranks);
        MemberEntry moved = member("c", "paris", hex(peer(3)));
        assertThat(OfficeRanks.of(self, List.of(self, members.get(1), moved)).rank(peer(3), any))
                .as("a node restarted in another office is ranked as a member of its new office").isEqualTo(OfficeRanks.SAME_OFFICE);
    }
}

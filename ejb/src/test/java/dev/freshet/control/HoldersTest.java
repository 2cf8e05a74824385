package dev.freshet.control;

import dev.freshet.control.directory.Holders;
import dev.freshet.control.directory.Holding;
import dev.freshet.control.directory.MemberEntry;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HoldersTest {
    private static final String H = "ab".repeat(20);
    private static final MemberEntry SELF = new MemberEntry("me", "node1", "berlin", "127.0.0.11", 6881, 0, "", "", "");
    private static final MemberEntry PARIS = new MemberEntry("p", "node2", "paris", "127.0.0.12", 6881, 0, "", "", "");
    private static final MemberEntry BERLIN = new MemberEntry("b", "node3", "berlin", "127.0.0.13", 6882, 0, "", "", "");
    private static final MemberEntry EMPTY = new MemberEntry("e", "node4", "berlin", "127.0.0.14", 6881, 0, "", "", "");

    /**
     * Office peers are dialled even before they hold a piece (issue 12): the office shares its WAN fetches among the
     * members it is connected to, and a member with nothing yet is one of them. Other offices only once they have
     * something to give.
     */
    @Test
    void holdersOfSomePiecesSameOfficeFirstNeverMyself() {
        List<Holding> holdings = List.of(Holding.of(H, "p", 10, 10, "SEEDING"), Holding.of(H, "b", 3, 10, "DOWNLOADING"),
                Holding.of(H, "e", 0, 10, "DOWNLOADING"), Holding.of(H, "me", 5, 10, "DOWNLOADING"),
                Holding.of("cd".repeat(20), "x", 10, 10, "SEEDING"), Holding.of(H, "gone", 10, 10, "SEEDING"));
        assertThat(Holders.peersFor(H, SELF, holdings, List.of(SELF, PARIS, BERLIN, EMPTY)))
                .containsExactly(new InetSocketAddress("127.0.0.13", 6882), new InetSocketAddress("127.0.0.14", 6881),
                        new InetSocketAddress("127.0.0.12", 6881));
    }
}

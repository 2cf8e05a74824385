package dev.freshet.control.directory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory directory keeps the grid's contract, on a clock of the test's own (no waiting for a TTL). */
class InMemorySwarmDirectoryTest extends SwarmDirectoryContractTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final InMemorySwarmDirectory.Grid grid = InMemorySwarmDirectory.grid(clock::get);
    private final InMemorySwarmDirectory one = InMemorySwarmDirectory.join(grid, "member-one");
    private final InMemorySwarmDirectory two = InMemorySwarmDirectory.join(grid, "member-two");

    InMemorySwarmDirectoryTest() {
        one.announce(new MemberEntry("member-one", "one", "hq", "127.0.0.1", 6881, 0, "", "", ""));
        two.announce(new MemberEntry("member-two", "two", "hq", "127.0.0.1", 6882, 0, "", "", ""));
    }

    @Override
    SwarmDirectory one() {
        return one;
    }

    @Override
    SwarmDirectory two() {
        return two;
    }

    @Override
    void pass(Duration time) {
        clock.addAndGet(time.toMillis());
    }

    @Override
    void aMemberHoldsAndDies(String infoHash) {
        InMemorySwarmDirectory three = InMemorySwarmDirectory.join(grid, "member-three");
        three.announce(new MemberEntry("member-three", "three", "hq", "127.0.0.1", 6883, 0, "", "", ""));
        three.hold(Holding.of(infoHash, "member-three", 1, 1, "SEEDING"));
        grid.leave("member-three");
    }
}

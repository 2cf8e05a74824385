package dev.freshet.control.offices;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** Budgets and WAN reports in a real two-member grid on loopback. */
class OfficeGridTest {
    private static java.util.List<HazelcastInstance> grid;
    private static OfficeGrid one;
    private static OfficeGrid two;

    @BeforeAll
    static void grid() {
        grid = dev.freshet.control.LoopbackGrid.start("office-grid", 2);
        // reports kept a minute, not the product's 4 s: the test reads one back, and a loaded machine (a CI run)
        // has taken longer than 4 s between the write and the read
        one = OfficeGrid.on(grid.get(0), dev.freshet.control.LoopbackGrid.SEAL, 60);
        two = OfficeGrid.on(grid.get(1), dev.freshet.control.LoopbackGrid.SEAL, 60);
    }

    @AfterAll
    static void stop() {
        dev.freshet.control.LoopbackGrid.stop(grid);
    }

    @Test
    void theNewestBudgetWinsWhicheverNodeOffersIt() {
        one.offer(new OfficeBudget("paris", 1_000_000, 0, 100));
        assertThat(two.budget("paris")).contains(new OfficeBudget("paris", 1_000_000, 0, 100));
        // a node that was apart comes back with an older copy: it does not undo the newer one
        assertThat(two.offer(new OfficeBudget("paris", 5_000_000, 0, 50)))
                .isEqualTo(new OfficeBudget("paris", 1_000_000, 0, 100));
        assertThat(two.offer(new OfficeBudget("paris", 0, 0, 200))).isEqualTo(new OfficeBudget("paris", 0, 0, 200));
        assertThat(one.budgets()).containsEntry("paris", new OfficeBudget("paris", 0, 0, 200));
    }

    @Test
    void everyNodeSeesTheReportsAndSkipsWhatIsNotOne() {
        one.report(new WanReport("m1", "berlin", 10, 20, true, false, 100, 200, 30, 0, 1));
        grid.get(0).getMap(OfficeGrid.REPORTS).set("rogue", "not a report");
        assertThat(two.reports()).contains(new WanReport("m1", "berlin", 10, 20, true, false, 100, 200, 30, 0, 1))
                .noneMatch(r -> r.memberId().equals("rogue"));
    }
}

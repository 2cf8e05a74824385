package dev.freshet.control.offices;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Budgets and WAN reports in a real two-member grid on loopback. */
class OfficeGridTest {
    private static HazelcastInstance a;
    private static HazelcastInstance b;
    private static OfficeGrid one;
    private static OfficeGrid two;

    @BeforeAll
    static void grid() {
        String cluster = "office-grid-" + UUID.randomUUID();
        int port = 7700 + new Random().nextInt(300) * 3;
        a = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        b = Hazelcast.newHazelcastInstance(dev.freshet.control.LoopbackGrid.config(cluster, port, 3));
        one = OfficeGrid.on(a);
        two = OfficeGrid.on(b);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.shutdown();
        }
        if (a != null) {
            a.shutdown();
        }
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
        a.getMap(OfficeGrid.REPORTS).set("rogue", "not a report");
        assertThat(two.reports()).contains(new WanReport("m1", "berlin", 10, 20, true, false, 100, 200, 30, 0, 1))
                .noneMatch(r -> r.memberId().equals("rogue"));
    }
}

package dev.freshet.control.directory;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.freshet.control.LoopbackGrid;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grid of a cluster across offices (issue 12, item 6) as the launcher configures it with
 * {@code FRESHET_GRID_ACROSS_OFFICES=true}: {@code src/etc/hazelcast-offices.xml}, read here as Payara reads it. Four
 * real members on loopback, two offices of two; both members of one office stop at once (an office lost). With
 * partition groups by office every entry survives in the other office; with the grid's default (backups on any
 * other member) entries whose primary and backup were both in the lost office are gone.
 */
class GridAcrossOfficesTest {
    static final int ENTRIES = 2000;

    @Test
    void anOfficeLostTakesNoEntryWithItWhenPartitionGroupsAreByOffice() throws Exception {
        String cluster = "offices-" + UUID.randomUUID();
        int port = 8700 + new java.util.Random().nextInt(200) * 4;
        List<HazelcastInstance> members = new ArrayList<>();
        try {
            String all = "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1) + ",127.0.0.1:" + (port + 2) + ",127.0.0.1:" + (port + 3);
            for (int i = 0; i < 4; i++) {
                members.add(Hazelcast.newHazelcastInstance(fromTheLaunchersFile(cluster, i < 2 ? "paris" : "berlin",
                        port + i, all)));
            }
            assertThat(survivorsAfterLosing(members)).isEqualTo(ENTRIES);
        } finally {
            stopAll(members);
        }
    }

    /** The same loss on the grid's default configuration: the test above could fail. */
    @Test
    void withoutPartitionGroupsByOfficeAnOfficeLostTakesEntriesWithIt() throws Exception {
        List<HazelcastInstance> members = LoopbackGrid.start("no-offices", 4);
        try {
            assertThat(survivorsAfterLosing(members)).isLessThan(ENTRIES);
        } finally {
            stopAll(members);
        }
    }

    /** Fills a map, stops members 0 and 1 at the same moment, answers how many entries members 2 and 3 still hold. */
    private static int survivorsAfterLosing(List<HazelcastInstance> members) throws Exception {
        IMap<String, String> map = members.get(2).getMap("freshet.swarms");
        for (int i = 0; i < ENTRIES; i++) {
            map.set("swarm-" + i, "entry " + i);
        }
        // every backup written before the loss (backups are synchronous: set returns after them)
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> members.get(0).getLifecycleService().terminate());
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> members.get(1).getLifecycleService().terminate());
        CompletableFuture.allOf(a, b).join();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (members.get(2).getCluster().getMembers().size() != 2
                || !members.get(2).getPartitionService().isClusterSafe()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the two members left did not settle");
            }
            Thread.sleep(100);
        }
        return members.get(3).<String, String>getMap("freshet.swarms").size();
    }

    /** {@code src/etc/hazelcast-offices.xml} with the system properties the launcher sets, on loopback. */
    static Config fromTheLaunchersFile(String cluster, String office, int port, String members) throws Exception {
        Properties p = new Properties();
        p.setProperty("freshet.grid.office", office);
        p.setProperty("freshet.grid.port", String.valueOf(port));
        p.setProperty("freshet.grid.interface", "127.0.0.1");
        p.setProperty("freshet.grid.members", members);
        p.setProperty("freshet.grid.cluster-name", cluster);
        try (InputStream in = new FileInputStream(Path.of("..", "src", "etc", "hazelcast-offices.xml").toFile())) {
            Config c = new XmlConfigBuilder(in).setProperties(p).build();
            assertThat(c.getClusterName()).isEqualTo(cluster); // a cluster of the test's own, as the launcher names it
            c.setProperty("hazelcast.phone.home.enabled", "false");
            c.setProperty("hazelcast.logging.type", "none");
            c.setProperty("hazelcast.wait.seconds.before.join", "0");
            return c;
        }
    }

    private static void stopAll(List<HazelcastInstance> members) {
        for (HazelcastInstance m : members) {
            if (m.getLifecycleService().isRunning()) {
                m.shutdown();
            }
        }
    }
}

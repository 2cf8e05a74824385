package dev.freshet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, item 3, in a real browser: a node with hundreds of swarms. The console keeps only the rows in view in the
 * page (a table of 600 swarms is some 60 rows between two spacers), shows the others as the page scrolls, filters all
 * of them, and follows the event stream's changes (after its first event the stream carries only what changed).
 */
class ConsoleManySwarmsIT {
    private static final int SWARMS = 600;

    @RegisterExtension
    final MicroCluster cluster = new MicroCluster();

    @Test
    void aLongListShowsTheRowsInViewAndFollowsChanges() throws Exception {
        Path work = Path.of(System.getProperty("it.dir", "target/it")).resolve("many-" + System.nanoTime());
        Path files = work.resolve("files");
        Files.createDirectories(files);
        List<Path> artifacts = new ArrayList<>();
        for (int i = 0; i < SWARMS; i++) {
            artifacts.add(Files.writeString(files.resolve(String.format("build-%04d.txt", i)), "artifact " + i + "\n"));
        }
        cluster.plan(work, 1);
        MicroNode node = cluster.node(0, "hq", Map.of("freshet.publish.roots", files.toString()));
        MicroCluster.startAll(Duration.ofSeconds(240), node);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> published = new ArrayList<>();
            for (Path a : artifacts) {
                published.add(pool.submit(() -> node.admin().postJson("/api/swarms",
                        "{\"path\":\"" + a + "\",\"policy\":\"on-demand\"}").status()));
            }
            for (Future<Integer> f : published) {
                assertThat(f.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }

        try (Browser b = new Browser("http://127.0.0.1:" + node.httpPort, 1366, 768)) {
            try {
                b.open("/");
                b.signIn("admin", MicroNode.ADMIN_PASSWORD);
                b.await(30, "the whole list", x -> x.text("#swarm-count").equals(SWARMS + " of " + SWARMS + " swarms"));
                int inPage = b.all("#swarm-rows tr[data-hash]").size();
                System.out.println("rows in the page for " + SWARMS + " swarms: " + inPage);
                assertThat(inPage).as("only the rows in view and a few either side").isBetween(10, 80);
                assertThat(b.find("#swarm-rows tr[data-hash] [data-col=name]").getText()).startsWith("build-0000.txt");
                assertThat(b.find("table.table-swarms").getAttribute("aria-rowcount")).isEqualTo(String.valueOf(SWARMS + 1));

                // scrolled to the end: the last swarms are there, the first ones gone from the page
                b.js("window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'})");
                b.await(10, "the last row", x -> x.present("#swarm-rows tr[aria-rowindex='" + (SWARMS + 1) + "']"));
                assertThat(b.text("#swarm-rows tr[aria-rowindex='" + (SWARMS + 1) + "'] [data-col=name]"))
                        .startsWith(String.format("build-%04d.txt", SWARMS - 1));
                assertThat(b.present("#swarm-rows tr[aria-rowindex='2']")).isFalse();
                assertThat(b.all("#swarm-rows tr[data-hash]").size()).isBetween(10, 80);
                b.screenshot("many-swarms-end");

                // halfway: the row in the middle of the screen is the one of that place in the list
                // (Bootstrap scrolls smoothly: jump at once, as a dragged scroll bar does)
                b.js("window.scrollTo({top: document.documentElement.scrollHeight / 2, behavior: 'instant'})");
                String at = b.await(10, "a row in the middle of the screen", x -> (String) x.js(
                        "const r = document.elementFromPoint(200, innerHeight / 2)?.closest('tr[data-hash]');"
                        + " return r ? r.getAttribute('aria-rowindex') + ' ' + r.querySelector('[data-col=name] a')"
                        + ".textContent : null"));
                int row = Integer.parseInt(at.split(" ")[0]);
                assertThat(row).as(at).isBetween(200, 400);
                assertThat(at.split(" ")[1]).isEqualTo(String.format("build-%04d.txt", row - 2));

                // the filter reaches every swarm, not only those in the page
                b.js("window.scrollTo({top: 0, behavior: 'instant'})");
                b.find("#filter").sendKeys("build-0421");
                b.await(10, "one match", x -> x.text("#swarm-count").equals("1 of " + SWARMS + " swarms"));
                assertThat(b.all("#swarm-rows tr[data-hash]")).hasSize(1);
                assertThat(b.present("#swarm-rows tr.spacer")).as("no spacers in a short list").isFalse();

                // a change comes in through the stream's changes: paused elsewhere (the API), shown here
                String hash = b.find("#swarm-rows tr[data-hash]").getAttribute("data-hash");
                assertThat(node.admin().post("/api/swarms/" + hash + "/pause").status()).isEqualTo(200);
                b.await(10, "paused", x -> x.text("#swarm-rows tr[data-hash] [data-col=state]").equalsIgnoreCase("paused"));
                assertThat(node.admin().delete("/api/swarms/" + hash).status()).isEqualTo(204);
                b.await(10, "removed", x -> x.text("#swarm-count").equals("0 of " + (SWARMS - 1) + " swarms"));
                assertThat(b.accessibilityViolations()).as("axe-core, serious or critical").isEmpty();
                assertThat(b.newErrors()).isEmpty();
            } catch (AssertionError | RuntimeException e) {
                b.screenshot("many-swarms-failed");
                System.out.println("browser console: " + b.newErrors());
                throw e;
            }
        }
    }

}

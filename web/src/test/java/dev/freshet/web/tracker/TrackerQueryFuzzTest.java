package dev.freshet.web.tracker;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.control.tracker.TrackerRefusal;

/**
 * Coverage-guided fuzzing of the tracker's query parser (issue 10): an announce's or scrape's query string, then
 * the values an announce reads from it. Nothing may escape but {@link TrackerRefusal} (a bencoded failure reason).
 */
class TrackerQueryFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void query(String input) {
        try {
            var q = TrackerQuery.parse(input, 8192);
            TrackerQuery.bytes(q, "info_hash", 20);
            TrackerQuery.number(q, "port", -1);
            TrackerQuery.number(q, "left", 0);
            TrackerQuery.text(q, "event");
        } catch (TrackerRefusal refused) {
            // answered as a failure reason
        }
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.picker.Block;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutstandingRequestsTest {
    @Test
    void removesInAnyOrderAndKeepsCount() {
        OutstandingRequests q = new OutstandingRequests();
        for (int i = 0; i < 200; i++) {
            q.add(new Block(i / 10, i % 10), i);
        }
        assertThat(q.size()).isEqualTo(200);
        assertThat(q.remove(new Block(5, 5))).isTrue();
        assertThat(q.remove(new Block(5, 5))).isFalse();
        assertThat(q.contains(new Block(5, 5))).isFalse();
        assertThat(q.contains(new Block(0, 0))).isTrue();
        assertThat(q.remove(0, 0)).isTrue();
        assertThat(q.remove(new Block(99, 0))).isFalse();
        assertThat(q.size()).isEqualTo(198);
    }

    @Test
    void expiresOldestFirstUpToTheCutoff() {
        OutstandingRequests q = new OutstandingRequests();
        for (int i = 0; i < 10; i++) {
            q.add(new Block(1, i), 100 + i);
        }
        q.remove(1, 1);
        List<Block> expired = new ArrayList<>();
        q.expire(104, expired::add);
        assertThat(expired).containsExactly(new Block(1, 0), new Block(1, 2), new Block(1, 3), new Block(1, 4));
        assertThat(q.size()).isEqualTo(5);
        List<Block> rest = new ArrayList<>();
        q.drain(rest::add);
        assertThat(rest).extracting(Block::index).containsExactly(5, 6, 7, 8, 9);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void growsPastItsInitialCapacityWithWrappedEntries() {
        OutstandingRequests q = new OutstandingRequests();
        for (int i = 0; i < 50; i++) {
            q.add(new Block(0, i), i);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(q.remove(0, i)).isTrue(); // head moves on, so the ring wraps below
        }
        for (int i = 50; i < 300; i++) {
            q.add(new Block(0, i), i);
        }
        assertThat(q.size()).isEqualTo(260);
        List<Block> all = new ArrayList<>();
        q.drain(all::add);
        assertThat(all).extracting(Block::index).startsWith(40, 41).endsWith(298, 299).hasSize(260);
    }
}

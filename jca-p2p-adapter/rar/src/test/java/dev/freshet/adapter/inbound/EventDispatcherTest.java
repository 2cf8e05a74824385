package dev.freshet.adapter.inbound;

import dev.freshet.adapter.api.PeerEventListener;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.swarm.EngineEvent;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.transaction.xa.XAResource;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dispatcher with a hand-written endpoint factory standing in for the EJB container's. */
class EventDispatcherTest {
    private static final InfoHash A = InfoHash.fromHex("aa".repeat(20));
    private static final InfoHash B = InfoHash.fromHex("bb".repeat(20));

    private final EventDispatcher dispatcher = new EventDispatcher();
    private final Thread thread = new Thread(dispatcher, "dispatcher-under-test");
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger released = new AtomicInteger();

    /** Records each call as text; a listener that throws on one swarm shows delivery goes on. */
    final class Recorder implements PeerEventListener, MessageEndpoint {
        @Override
        public void swarmStarted(InfoHash h, int verified, int count, java.util.BitSet pieces) {
            calls.add("started " + h.hex().substring(0, 2) + " " + verified + "/" + count);
        }

        @Override
        public void progress(InfoHash h, BitSet newly, int verified, int count, long down, long up) {
            calls.add("progress " + h.hex().substring(0, 2) + " " + newly + " " + verified + "/" + count + " " + down + "/" + up);
        }

        @Override
        public void swarmComplete(InfoHash h, long length) {
            calls.add("complete " + h.hex().substring(0, 2));
        }

        @Override
        public void peerBanned(InfoHash h, String address, String reason) {
            if (h.equals(B)) {
                throw new IllegalStateException("a bean failing");
            }
            calls.add("banned " + address + " " + reason);
        }

        @Override
        public void pieceFailedFromMembers(InfoHash h, int piece, List<dev.freshet.engine.wire.PeerId> members) {
            calls.add("failed " + h.hex().substring(0, 2) + " " + piece + " from " + members.size());
        }

        @Override
        public void swarmError(InfoHash h, String message) {
            calls.add("error " + h.hex().substring(0, 2) + " " + message);
        }

        @Override
        public void beforeDelivery(Method method) {
        }

        @Override
        public void afterDelivery() {
        }

        @Override
        public void release() {
            released.incrementAndGet();
        }
    }

    private final MessageEndpointFactory factory = new MessageEndpointFactory() {
        @Override
        public MessageEndpoint createEndpoint(XAResource xa) {
            return new Recorder();
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xa, long timeout) {
            return new Recorder();
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return false;
        }

        @Override
        public String getActivationName() {
            return "test";
        }

        @Override
        public Class<?> getEndpointClass() {
            return Recorder.class;
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        dispatcher.stop();
        thread.join(5000);
    }

    @Test
    void pieceEventsAreFoldedIntoProgressAndOtherEventsKeepTheirOrder() {
        dispatcher.activate(factory);
        thread.start();
        dispatcher.onEvent(new EngineEvent.SwarmStarted(A, 1, 8));
        dispatcher.onEvent(new EngineEvent.PeerConnected(A, new InetSocketAddress("127.0.0.1", 1), "x", true));
        dispatcher.onEvent(new EngineEvent.PieceVerified(A, 3, 2, 8));
        dispatcher.onEvent(new EngineEvent.PieceVerified(A, 5, 3, 8));
        dispatcher.onEvent(new EngineEvent.RateSample(A, 10, 20, 4096, 512, 1, 3));
        dispatcher.onEvent(new EngineEvent.PieceVerified(A, 6, 8, 8));
        dispatcher.onEvent(new EngineEvent.SwarmComplete(A, 1000));
        dispatcher.onEvent(new EngineEvent.PeerBanned(B, new InetSocketAddress("127.0.0.9", 9), "x", "bad data"));
        dispatcher.onEvent(new EngineEvent.PeerBanned(A, new InetSocketAddress("127.0.0.2", 2), "y", "bad data"));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() >= 4);
        assertThat(calls).containsExactly("started aa 1/8", "progress aa {3, 5, 6} 8/8 4096/512", "complete aa",
                "banned 127.0.0.2:2 bad data");
        assertThat(released.get()).isEqualTo(5); // every endpoint handed back, the failing one too
    }

    @Test
    void progressWithoutNewsIsNotSentAgain() throws InterruptedException {
        dispatcher.activate(factory);
        thread.start();
        dispatcher.onEvent(new EngineEvent.SwarmStarted(A, 0, 4));
        dispatcher.onEvent(new EngineEvent.PieceVerified(A, 0, 1, 4));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 2);
        dispatcher.onEvent(new EngineEvent.RateSample(A, 0, 0, 0, 0, 0, 1)); // nothing moved: nothing to say
        Thread.sleep(2 * EventDispatcher.FLUSH_MILLIS + 200);
        assertThat(calls).containsExactly("started aa 0/4", "progress aa {0} 1/4 0/0");
    }

    @Test
    void aPieceFailureIsDeliveredOnlyWhenItNamesAMemberOfTheCluster() {
        dispatcher.activate(factory);
        thread.start();
        var member = dev.freshet.engine.wire.PeerId.of(new byte[20]);
        dispatcher.onEvent(new EngineEvent.PieceFailed(A, 4, "an outsider", List.of()));
        dispatcher.onEvent(new EngineEvent.PieceFailed(A, 5, "a member", List.of(member)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
        assertThat(calls).containsExactly("failed aa 5 from 1");
    }
}

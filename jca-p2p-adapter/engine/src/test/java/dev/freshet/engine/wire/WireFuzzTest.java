package dev.freshet.engine.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the peer wire codec (issue 10): messages as they come off a socket, the handshake,
 * the BEP 10 extension handshake and BEP 9 metadata messages. Nothing may escape but {@link ProtocolException}.
 */
class WireFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void messages(byte[] input) {
        MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            for (Message m; (m = codec.decode(in)) != null; ) {
                // each message re-encodes to its own length
                ByteBuffer out = ByteBuffer.allocate(MessageCodec.encodedLength(m));
                MessageCodec.encode(m, out);
            }
        } catch (ProtocolException refused) {
            // a closed connection in the engine
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void handshake(byte[] input) {
        try {
            Handshake.decode(ByteBuffer.wrap(input));
        } catch (ProtocolException refused) {
            // not a BitTorrent handshake
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
    void extensions(byte[] input) {
        try {
            ExtensionHandshake.parse(input);
        } catch (ProtocolException refused) {
            // malformed
        }
        try {
            MetadataMessage.parse(input);
        } catch (ProtocolException refused) {
            // malformed
        }
    }
}

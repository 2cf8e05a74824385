package dev.freshet.engine.swarm;

import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MetadataMessage;
import dev.freshet.engine.wire.ProtocolException;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * BEP 9 and BEP 10 for one swarm that has its metadata: our extension handshake (which names {@code ut_metadata} and
 * the metadata's size), and the pieces of the info dictionary served to a peer that has only the magnet link. Data
 * and rejects from peers are ignored; a peer that floods requests is a protocol error. Owned by the network thread.
 */
final class MetadataServer {
    private final NetworkLoop loop;
    /** The info dictionary as received: the metadata served to peers. */
    private final byte[] metadata;

    MetadataServer(NetworkLoop loop, byte[] metadata) {
        this.loop = loop;
        this.metadata = metadata;
    }

    /** Our BEP 10 handshake, to a peer that speaks the extension protocol. */
    void sendHandshake(PeerConnection c) {
        ExtensionHandshake ours = new ExtensionHandshake(Map.of(MetadataMessage.EXTENSION, PeerConnection.UT_METADATA_ID),
                Optional.of(loop.config().clientName()), Optional.of(PeerConnection.ADVERTISED_REQQ),
                Optional.of(loop.listenPort()), Optional.of((long) metadata.length));
        c.send(new Message.Extended(0, ours.encode()));
    }

    void message(PeerConnection c, MetadataMessage m) {
        int theirId = c.peerMetadataId();
        if (!(m instanceof MetadataMessage.Request r) || theirId == 0) {
            return;
        }
        // a peer needs the metadata once; a few repeats are tolerated, a flood (uploads outside the rate
        // limits) is not
        if (c.countMetadataRequest() > 4 * MetadataMessage.pieceCount(metadata.length) + 8) {
            throw new ProtocolException("too many ut_metadata requests");
        }
        int piece = r.piece();
        MetadataMessage answer;
        if (piece < MetadataMessage.pieceCount(metadata.length)) {
            int from = piece * MetadataMessage.PIECE_SIZE;
            answer = new MetadataMessage.Data(piece, metadata.length,
                    Arrays.copyOfRange(metadata, from, Math.min(metadata.length, from + MetadataMessage.PIECE_SIZE)));
        } else {
            answer = new MetadataMessage.Reject(piece);
        }
        c.send(new Message.Extended(theirId, answer.encode()));
    }
}

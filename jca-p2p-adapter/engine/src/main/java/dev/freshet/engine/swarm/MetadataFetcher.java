package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.metainfo.MetainfoException;
import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.MetadataMessage;
import dev.freshet.engine.wire.PeerId;
import dev.freshet.engine.wire.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BEP 9, the asking side: gets a swarm's info dictionary from peers that have it, knowing only the
 * info-hash (a magnet link). One blocking connection at a time on a worker thread (not the network loop:
 * this is a short, rare exchange). Peers are tried in turn until one gives metadata whose SHA-1 is the
 * info-hash; a peer that sends something else, too much, or nothing in time is dropped for the next.
 */
final class MetadataFetcher {
    /** Larger metadata than a whole .torrent may be is refused before anything is allocated. */
    static final int MAX_METADATA = Metainfo.MAX_TORRENT_BYTES;
    private static final int OUR_METADATA_ID = 1;

    private final InfoHash infoHash;
    private final PeerId peerId;
    private final InetSocketAddress bindAddress;
    private final int timeoutMillis;

    MetadataFetcher(InfoHash infoHash, PeerId peerId, InetSocketAddress bindAddress, int timeoutMillis) {
        this.infoHash = infoHash;
        this.peerId = peerId;
        this.bindAddress = bindAddress;
        this.timeoutMillis = timeoutMillis;
    }

    /** The verified info dictionary from the first peer that has it; the reasons of every failure otherwise. */
    Info fetch(List<InetSocketAddress> peers, long deadlineNanos) {
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress peer : peers) {
            if (System.nanoTime() - deadlineNanos > 0) {
                failures.add("time is up");
                break;
            }
            try {
                return fromPeer(peer, deadlineNanos);
            } catch (IOException | RuntimeException e) {
                failures.add(peer + ": " + e.getMessage());
            }
        }
        throw new MetainfoException("no peer gave the metadata of " + infoHash.hex()
                + (failures.isEmpty() ? " (no peers known)" : ": " + String.join("; ", failures)));
    }

    private Info fromPeer(InetSocketAddress peer, long deadlineNanos) throws IOException {
        try (Socket socket = new Socket()) {
            if (bindAddress != null && !bindAddress.getAddress().isAnyLocalAddress()) {
                socket.bind(new InetSocketAddress(bindAddress.getAddress(), 0));
            }
            socket.connect(peer, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
            Handshake.ours(infoHash, peerId).encode(hs);
            out.write(hs.array());
            ByteBuffer theirs = ByteBuffer.wrap(in.readNBytes(Handshake.LENGTH));
            if (theirs.remaining() < Handshake.LENGTH) {
                throw new IOException("closed during the handshake");
            }
            Handshake h = Handshake.decode(theirs);
            if (!h.infoHash().equals(infoHash)) {
                throw new ProtocolException("answered for another info-hash");
            }
            if (!h.supportsExtensionProtocol()) {
                throw new ProtocolException("does not speak the extension protocol (BEP 10)");
            }
            send(out, new Message.Extended(0, new ExtensionHandshake(Map.of(MetadataMessage.EXTENSION, OUR_METADATA_ID),
                    Optional.of("Freshet"), Optional.empty(), Optional.empty(), Optional.empty()).encode()));
            Reader reader = new Reader(in);
            ExtensionHandshake ext = null;
            while (ext == null) {
                if (reader.next(deadlineNanos) instanceof Message.Extended e && e.extendedId() == 0) {
                    ext = ExtensionHandshake.parse(e.payload());
                }
            }
            Integer theirId = ext.extensions().get(MetadataMessage.EXTENSION);
            long size = ext.metadataSize().orElse(-1L);
            if (theirId == null || theirId == 0 || size <= 0) {
                throw new ProtocolException("offers no metadata (ut_metadata / metadata_size)");
            }
            if (size > MAX_METADATA) {
                throw new ProtocolException("announces " + size + " bytes of metadata, more than " + MAX_METADATA);
            }
            int pieces = MetadataMessage.pieceCount((int) size);
            for (int p = 0; p < pieces; p++) {
                send(out, new Message.Extended(theirId, new MetadataMessage.Request(p).encode()));
            }
            byte[] metadata = new byte[(int) size];
            boolean[] got = new boolean[pieces];
            int have = 0;
            while (have < pieces) {
                if (!(reader.next(deadlineNanos) instanceof Message.Extended e) || e.extendedId() != OUR_METADATA_ID) {
                    continue; // bitfields, haves, other extensions: not what we came for
                }
                MetadataMessage m = MetadataMessage.parse(e.payload()).orElse(null);
                if (m instanceof MetadataMessage.Reject) {
                    throw new ProtocolException("rejected metadata piece " + m.piece());
                }
                if (!(m instanceof MetadataMessage.Data d) || d.piece() >= pieces || got[d.piece()]) {
                    continue;
                }
                byte[] data = d.data();
                int offset = d.piece() * MetadataMessage.PIECE_SIZE;
                int expected = (int) Math.min(MetadataMessage.PIECE_SIZE, size - offset);
                if (d.totalSize() != size || data.length != expected) {
                    throw new ProtocolException("metadata piece " + d.piece() + " has the wrong size");
                }
                System.arraycopy(data, 0, metadata, offset, expected);
                got[d.piece()] = true;
                have++;
            }
            if (!InfoHash.ofInfoBytes(metadata).equals(infoHash)) {
                throw new ProtocolException("sent metadata whose SHA-1 is not the info-hash");
            }
            return Info.parse(metadata);
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer within " + timeoutMillis + " ms", e);
        }
    }

    private static void send(OutputStream out, Message m) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
        MessageCodec.encode(m, b);
        out.write(b.array());
    }

    /** Decodes whole messages from a blocking stream, bounded by the codec's maximum message size. */
    private static final class Reader {
        private final InputStream in;
        private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
        private final byte[] chunk = new byte[16 * 1024];

        Reader(InputStream in) {
            this.in = in;
        }

        Message next(long deadlineNanos) throws IOException {
            while (true) {
                Message m = codec.decode(buffer);
                if (m != null) {
                    return m;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IOException("time is up");
                }
                buffer.compact();
                if (!buffer.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.min(buffer.capacity() * 2, MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH + 64));
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
                int n = in.read(chunk, 0, Math.min(chunk.length, buffer.remaining()));
                if (n < 0) {
                    throw new IOException("closed by the peer");
                }
                buffer.put(chunk, 0, n).flip();
            }
        }
    }
}

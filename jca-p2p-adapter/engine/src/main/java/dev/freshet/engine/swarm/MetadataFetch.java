package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.wire.ExtensionHandshake;
import dev.freshet.engine.wire.Handshake;
import dev.freshet.engine.wire.Message;
import dev.freshet.engine.wire.MessageCodec;
import dev.freshet.engine.wire.MetadataMessage;
import dev.freshet.engine.wire.ProtocolException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * BEP 9, the asking side: gets a swarm's info dictionary from peers that have it, knowing only the info-hash (a
 * magnet link). Runs on the network loop like every other socket of the engine (non-blocking, on its selector and
 * clock, so a simulated network runs it too), with up to {@link #PARALLEL} peers asked at once. The first metadata
 * whose SHA-1 is the info-hash wins and the other dials are closed; a peer that sends something else, too much, or
 * nothing for {@link #QUIET} is dropped for the next. Owned by the network thread.
 */
final class MetadataFetch {
    /** Larger metadata than a whole .torrent may be is refused before anything is allocated. */
    static final int MAX_METADATA = Metainfo.MAX_TORRENT_BYTES;
    /** Peers asked at once. */
    static final int PARALLEL = 3;
    /** A dial that receives nothing for this long is given up. */
    static final long QUIET = 5_000_000_000L;
    /** Metadata requests outstanding on one dial (BEP 9 pieces are 16 KiB; a 32 MiB dictionary has 2,048). */
    static final int PIPELINE = 16;

    private final NetworkLoop loop;
    private final InfoHash infoHash;
    private final Deque<InetSocketAddress> untried;
    private final long deadline;
    private final CompletableFuture<Info> result;
    private final List<String> failures = new ArrayList<>();
    private final Set<Dial> dials = new LinkedHashSet<>();

    MetadataFetch(NetworkLoop loop, InfoHash infoHash, List<InetSocketAddress> peers, long deadline,
                  CompletableFuture<Info> result) {
        this.loop = loop;
        this.infoHash = infoHash;
        this.untried = new ArrayDeque<>(peers);
        this.deadline = deadline;
        this.result = result;
    }

    InfoHash infoHash() {
        return infoHash;
    }

    void start() {
        dialMore();
    }

    /** Once a second: dials silent too long are dropped, and the whole fetch ends at its deadline. */
    void tick(long now) {
        if (now - deadline >= 0) {
            failures.add("time is up");
            fail();
            return;
        }
        for (Dial d : new ArrayList<>(dials)) {
            if (now - d.lastHeard >= QUIET) {
                d.failed("no answer within " + QUIET / 1_000_000 + " ms");
            }
        }
    }

    /** The engine stopped, or the caller gave up. */
    void abort(String why) {
        failures.add(why);
        fail();
    }

    boolean done() {
        return result.isDone();
    }

    private void dialMore() {
        while (!result.isDone() && dials.size() < PARALLEL && !untried.isEmpty()) {
            InetSocketAddress peer = untried.poll();
            Dial d = new Dial(peer);
            try {
                d.open();
                dials.add(d);
            } catch (IOException | RuntimeException e) {
                d.close();
                failures.add(peer + ": " + describe(e));
            }
        }
        if (!result.isDone() && dials.isEmpty()) {
            fail();
        }
    }

    private void fail() {
        closeAll();
        result.completeExceptionally(new dev.freshet.engine.metainfo.MetainfoException("no peer gave the metadata of "
                + infoHash.hex() + (failures.isEmpty() ? " (no peers known)" : ": " + String.join("; ", failures))));
        loop.fetchEnded(this);
    }

    private void succeed(Info info) {
        closeAll();
        result.complete(info);
        loop.fetchEnded(this);
    }

    private void closeAll() {
        for (Dial d : dials) {
            d.close();
        }
        dials.clear();
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** One peer asked for the metadata: a socket on the loop's selector and what it has sent so far. */
    final class Dial {
        private final InetSocketAddress peer;
        private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private final Deque<ByteBuffer> out = new ArrayDeque<>();
        private boolean handshaken;
        private int theirId;
        private byte[] metadata;
        private boolean[] got;
        private int have;
        private int nextRequest;
        private int outstanding;
        private long lastHeard;

        Dial(InetSocketAddress peer) {
            this.peer = peer;
        }

        void open() throws IOException {
            lastHeard = loop.now();
            channel = loop.openDialSocket();
            boolean connected = channel.connect(peer);
            key = loop.register(channel, SelectionKey.OP_CONNECT, this);
            if (connected) {
                connected();
            }
        }

        /** The selector says this socket is ready. */
        void ready(SelectionKey k) {
            try {
                if (k.isConnectable()) {
                    channel.finishConnect();
                    connected();
                    return;
                }
                if (k.isReadable()) {
                    read();
                }
                if (k.isValid() && k.isWritable()) {
                    write();
                }
            } catch (IOException | RuntimeException e) {
                failed(describe(e));
            }
        }

        private void connected() throws IOException {
            lastHeard = loop.now();
            ByteBuffer hs = ByteBuffer.allocate(Handshake.LENGTH);
            Handshake.ours(infoHash, loop.peerId()).encode(hs);
            out.add(hs.flip());
            send(new Message.Extended(0, new ExtensionHandshake(Map.of(MetadataMessage.EXTENSION, PeerConnection.UT_METADATA_ID),
                    Optional.of(loop.config().clientName()), Optional.empty(), Optional.empty(), Optional.empty()).encode()));
            write();
        }

        private void send(Message m) {
            ByteBuffer b = ByteBuffer.allocate(MessageCodec.encodedLength(m));
            MessageCodec.encode(m, b);
            out.add(b.flip());
        }

        private void write() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer b = out.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    break;
                }
                out.poll();
            }
            if (key.isValid()) {
                key.interestOps(out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                if (in.capacity() >= codec.maxMessageLength() + 64) {
                    throw new ProtocolException("sent a message longer than " + codec.maxMessageLength() + " bytes");
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(in.capacity() * 2, codec.maxMessageLength() + 64));
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("closed by the peer");
            }
            if (n > 0) {
                lastHeard = loop.now();
            }
            in.flip();
            try {
                if (!handshaken) {
                    Handshake h = Handshake.decode(in); // refuses a wrong protocol string as soon as it shows
                    if (h == null) {
                        return;
                    }
                    if (!h.infoHash().equals(infoHash)) {
                        throw new ProtocolException("answered for another info-hash");
                    }
                    if (!h.supportsExtensionProtocol()) {
                        throw new ProtocolException("does not speak the extension protocol (BEP 10)");
                    }
                    handshaken = true;
                }
                Message m;
                while (!result.isDone() && (m = codec.decode(in)) != null) {
                    if (m instanceof Message.Extended e) {
                        extended(e);
                    } // bitfields, haves, keep-alives: not what we came for
                }
            } finally {
                in.compact();
            }
            if (!result.isDone()) {
                write();
            }
        }

        private void extended(Message.Extended e) {
            if (e.extendedId() == 0) {
                if (metadata == null) {
                    offered(ExtensionHandshake.parse(e.payload()));
                }
                return;
            }
            if (e.extendedId() != PeerConnection.UT_METADATA_ID || metadata == null) {
                return;
            }
            MetadataMessage m = MetadataMessage.parse(e.payload()).orElse(null);
            if (m instanceof MetadataMessage.Reject) {
                throw new ProtocolException("rejected metadata piece " + m.piece());
            }
            if (!(m instanceof MetadataMessage.Data d) || d.piece() >= got.length || got[d.piece()]) {
                return;
            }
            int offset = d.piece() * MetadataMessage.PIECE_SIZE;
            int expected = Math.min(MetadataMessage.PIECE_SIZE, metadata.length - offset);
            if (d.totalSize() != metadata.length || d.data().length != expected) {
                throw new ProtocolException("metadata piece " + d.piece() + " has the wrong size");
            }
            System.arraycopy(d.data(), 0, metadata, offset, expected);
            got[d.piece()] = true;
            have++;
            outstanding--;
            if (have == got.length) {
                if (!InfoHash.ofInfoBytes(metadata).equals(infoHash)) {
                    throw new ProtocolException("sent metadata whose SHA-1 is not the info-hash");
                }
                succeed(Info.parse(metadata));
                return;
            }
            request();
        }

        private void offered(ExtensionHandshake ext) {
            Integer id = ext.extensions().get(MetadataMessage.EXTENSION);
            long size = ext.metadataSize().orElse(-1L);
            if (id == null || id == 0 || size <= 0) {
                throw new ProtocolException("offers no metadata (ut_metadata / metadata_size)");
            }
            if (size > MAX_METADATA) {
                throw new ProtocolException("announces " + size + " bytes of metadata, more than " + MAX_METADATA);
            }
            theirId = id;
            metadata = new byte[(int) size];
            got = new boolean[MetadataMessage.pieceCount((int) size)];
            request();
        }

        private void request() {
            while (outstanding < PIPELINE && nextRequest < got.length) {
                send(new Message.Extended(theirId, new MetadataMessage.Request(nextRequest++).encode()));
                outstanding++;
            }
        }

        void failed(String why) {
            if (!dials.remove(this)) {
                return;
            }
            close();
            failures.add(peer + ": " + why);
            dialMore();
        }

        void close() {
            if (key != null) {
                key.cancel();
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // a socket we are dropping
                }
            }
        }
    }
}

package dev.freshet.engine.sim;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * One end of a simulated TCP connection. Writes go to a bounded send buffer that the {@link SimNetwork} drains at
 * the links' rates; arriving bytes wait in a receive buffer until read. A closed peer is seen as the end of the
 * stream; bytes the closing end had not sent yet are lost (as with a reset).
 */
final class SimSocket extends SocketChannel implements SimSelector.Readiness {
    private final SimHost host;
    private InetSocketAddress local;
    private InetSocketAddress remote;
    private SimSocket peer;
    private boolean pending;
    private boolean connected;
    private boolean refused;
    private boolean peerClosed;
    private final ArrayDeque<Chunk> sendQueue = new ArrayDeque<>();
    private int sendBuffered;
    /** Index among the network's connection ends (-1: not yet connected). */
    int order = -1;
    /** In the network's turn of ends with bytes to send; served in the slot being run. */
    boolean inTurn;
    boolean servedThisSlot;
    private final ArrayDeque<Slice> receiveQueue = new ArrayDeque<>();

    /**
     * Bytes on their way, in pooled chunks: written once by the sender, carried as slices (no copy), read once by
     * the receiver; a chunk goes back to the pool once it was filled and read through.
     */
    static final class Chunk {
        static final int SIZE = 16 * 1024;
        final byte[] bytes = new byte[SIZE];
        int written;
        int taken;
        int consumed;
    }

    /** Part of a chunk in flight or waiting to be read. */
    static final class Slice {
        final Chunk chunk;
        int from;
        final int to;

        Slice(Chunk chunk, int from, int to) {
            this.chunk = chunk;
            this.from = from;
            this.to = to;
        }
    }
    private int unread;
    private int inFlight;

    SimSocket(SimHost host) {
        super(host);
        this.host = host;
    }

    private SimSelector.Key key;

    @Override
    public void key(SimSelector.Key key) {
        this.key = key;
    }

    /** Something changed that its engine may want to know: its host runs, and its key is looked at. */
    private void touch() {
        host.touch();
        if (key != null) {
            key.changed();
        }
    }

    /** The accepting end of a connection, already established. */
    SimSocket(SimHost host, InetSocketAddress local, InetSocketAddress remote) {
        this(host);
        this.local = local;
        this.remote = remote;
        this.connected = true;
    }

    SimHost host() {
        return host;
    }

    InetSocketAddress local() {
        return local;
    }

    SimSocket peer() {
        return peer;
    }

    void pair(SimSocket other) {
        this.peer = other;
    }

    void established() {
        pending = false;
        connected = true;
        touch();
    }

    void refused() {
        pending = false;
        refused = true;
        touch();
    }

    void peerClosed() {
        peerClosed = true;
        touch();
    }

    /** Closed here, or closed by the peer with everything read: the network forgets it. */
    boolean isGone() {
        return !isOpen();
    }

    int sendBuffered() {
        return sendBuffered;
    }

    int unread() {
        return unread;
    }

    int inFlight() {
        return inFlight;
    }

    void addInFlight(int n) {
        inFlight += n;
    }

    void discardSendBuffer() {
        sendQueue.clear();
        sendBuffered = 0;
    }

    /** Up to {@code n} bytes from the front of the send buffer, as slices of its chunks (no copy). */
    Slice[] takeSent(int n) {
        Chunk head = sendQueue.peek();
        Slice[] out;
        if (head.written - head.taken >= n) { // the usual case: one chunk
            out = new Slice[] {new Slice(head, head.taken, head.taken + n)};
            head.taken += n;
            if (head.taken == Chunk.SIZE) {
                sendQueue.poll();
            }
        } else {
            java.util.List<Slice> parts = new java.util.ArrayList<>(2);
            int left = n;
            while (left > 0) {
                Chunk c = sendQueue.peek();
                int take = Math.min(c.written - c.taken, left);
                parts.add(new Slice(c, c.taken, c.taken + take));
                c.taken += take;
                left -= take;
                if (c.taken == Chunk.SIZE) {
                    sendQueue.poll();
                }
            }
            out = parts.toArray(Slice[]::new);
        }
        sendBuffered -= n;
        touch(); // room in the send buffer: writable again
        return out;
    }

    void deliver(Slice[] data, int n) {
        inFlight -= n;
        if (!isOpen()) {
            return;
        }
        unread += n;
        java.util.Collections.addAll(receiveQueue, data);
        touch();
    }

    /** Filled in by the network when the connection is made: where its bytes go and what they cross. */
    Object route;

    @Override
    public int readyOps() {
        int ops = 0;
        if (!pending && (connected || refused) && !finished) {
            ops |= SelectionKey.OP_CONNECT;
        }
        if (connected && (unread > 0 || peerClosed)) {
            ops |= SelectionKey.OP_READ;
        }
        if (connected && sendBuffered < SimNetwork.SEND_BUFFER) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    private boolean finished;

    @Override
    public boolean connect(SocketAddress address) throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        remote = (InetSocketAddress) address;
        if (local == null) {
            local = new InetSocketAddress(host.ip(), host.ephemeralPort());
        }
        pending = true;
        host.network().connect(this, remote);
        return false;
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (refused) {
            throw new ConnectException("connection refused: " + remote);
        }
        if (connected) {
            finished = true;
            return true;
        }
        return false;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public boolean isConnectionPending() {
        return pending;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        if (unread == 0) {
            return peerClosed ? -1 : 0;
        }
        int n = 0;
        while (dst.hasRemaining() && !receiveQueue.isEmpty()) {
            Slice head = receiveQueue.peek();
            int take = Math.min(head.to - head.from, dst.remaining());
            dst.put(head.chunk.bytes, head.from, take);
            head.from += take;
            head.chunk.consumed += take;
            n += take;
            if (head.from == head.to) {
                receiveQueue.poll();
                if (head.chunk.consumed == Chunk.SIZE) {
                    host.network().release(head.chunk);
                }
            }
        }
        unread -= n;
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            int r = read(dsts[i]);
            if (r < 0) {
                return n == 0 ? -1 : n;
            }
            n += r;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        if (peerClosed || peer == null || !peer.isOpen()) {
            throw new IOException("connection reset by peer");
        }
        int total = 0;
        while (src.hasRemaining() && sendBuffered < SimNetwork.SEND_BUFFER) {
            Chunk tail = sendQueue.peekLast();
            if (tail == null || tail.written == Chunk.SIZE) {
                tail = host.network().chunk();
                sendQueue.add(tail);
            }
            int n = Math.min(src.remaining(), Math.min(Chunk.SIZE - tail.written, SimNetwork.SEND_BUFFER - sendBuffered));
            src.get(tail.bytes, tail.written, n);
            tail.written += n;
            sendBuffered += n;
            total += n;
        }
        if (total > 0) {
            host.network().sending(this);
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
            if (srcs[i].hasRemaining()) {
                break;
            }
        }
        return n;
    }

    @Override
    protected void implCloseSelectableChannel() {
        discardSendBuffer();
        receiveQueue.clear();
        unread = 0;
        if (peer != null && peer.isOpen()) {
            host.network().closed(peer, host.network().latency(host, peer.host()));
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
    }

    @Override
    public SocketChannel bind(SocketAddress address) {
        InetSocketAddress a = (InetSocketAddress) address;
        local = new InetSocketAddress(host.ip(), a == null || a.getPort() == 0 ? host.ephemeralPort() : a.getPort());
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) {
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) {
        return null;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Set.of();
    }

    @Override
    public SocketChannel shutdownInput() {
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() {
        return this;
    }

    @Override
    public Socket socket() {
        throw new UnsupportedOperationException("no java.net.Socket in the simulation");
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress getLocalAddress() {
        return local;
    }
}

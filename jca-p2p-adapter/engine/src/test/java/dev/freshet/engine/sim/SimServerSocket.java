package dev.freshet.engine.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Set;

/** A listening socket of a simulated host. */
final class SimServerSocket extends ServerSocketChannel implements SimSelector.Readiness {
    private final SimHost host;
    private InetSocketAddress local;
    private final ArrayDeque<SimSocket> backlog = new ArrayDeque<>();

    SimServerSocket(SimHost host) {
        super(host);
        this.host = host;
    }

    private SimSelector.Key key;

    @Override
    public void key(SimSelector.Key key) {
        this.key = key;
    }

    void offer(SimSocket accepted) {
        backlog.add(accepted);
        host.touch();
        if (key != null) {
            key.changed();
        }
    }

    @Override
    public int readyOps() {
        return backlog.isEmpty() ? 0 : SelectionKey.OP_ACCEPT;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress address, int backlogSize) throws IOException {
        InetSocketAddress a = (InetSocketAddress) address;
        local = new InetSocketAddress(host.ip(), a == null || a.getPort() == 0 ? host.ephemeralPort() : a.getPort());
        host.network().listen(this, local);
        return this;
    }

    @Override
    public SocketChannel accept() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return backlog.poll();
    }

    @Override
    protected void implCloseSelectableChannel() {
        if (local != null) {
            host.network().unlisten(local);
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) {
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
    public ServerSocket socket() {
        throw new UnsupportedOperationException("no java.net.ServerSocket in the simulation");
    }

    @Override
    public SocketAddress getLocalAddress() {
        return local;
    }
}

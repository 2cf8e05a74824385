package dev.freshet.engine.sim;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * One machine of a {@link SimNetwork}: where an engine gets its sockets and selector from
 * ({@code EngineConfig.Builder.network}). Its uplink and downlink are shared by all its connections.
 */
public final class SimHost extends SelectorProvider {
    private final SimNetwork network;
    private final String ip;
    private final String group;
    private final long upRate;
    private final long downRate;
    private long upTokens;
    /** Bytes this host received from other groups. */
    long crossedIn;
    private long downTokens;
    private final java.util.List<SimSelector> selectors = new java.util.ArrayList<>();

    SimHost(SimNetwork network, String ip, String group, long upRate, long downRate) {
        this.network = network;
        this.ip = ip;
        this.group = group;
        this.upRate = upRate;
        this.downRate = downRate;
    }

    public String ip() {
        return ip;
    }

    /** Bytes this host received from hosts of other groups (over a WAN). */
    public long crossedIn() {
        return crossedIn;
    }

    public String group() {
        return group;
    }

    SimNetwork network() {
        return network;
    }

    /** Linux's default range for local ports: each host has its own, as a real one does. */
    private static final int FIRST_EPHEMERAL = 32768;
    private static final int LAST_EPHEMERAL = 60999;
    private int nextPort = FIRST_EPHEMERAL;

    /**
     * The local port of this host's next dial or unbound listener, round the range (a run in which one host dials
     * tens of thousands of times could reuse a port still in use; none does). One counter for the whole network
     * ran past 65535 after some 25,000 dials, and every later dial failed: 2,000 nodes never connected.
     */
    int ephemeralPort() {
        int port = nextPort;
        nextPort = port == LAST_EPHEMERAL ? FIRST_EPHEMERAL : port + 1;
        return port;
    }

    void refill(long nanos) {
        upTokens = upRate == 0 ? Long.MAX_VALUE : upRate * nanos / 1_000_000_000L;
        downTokens = downRate == 0 ? Long.MAX_VALUE : downRate * nanos / 1_000_000_000L;
    }

    long upTokens() {
        return upTokens;
    }

    long downTokens() {
        return downTokens;
    }

    void spendUp(long n) {
        upTokens -= n;
    }

    void spendDown(long n) {
        downTokens -= n;
    }

    /** Whether something happened on one of this host's sockets since its engine last looked. */
    private boolean touched = true;

    void touch() {
        touched = true;
    }

    /** Whether the host's engine has socket events to handle (and forgets it was told). */
    boolean takeTouched() {
        boolean t = touched;
        touched = false;
        return t;
    }

    @Override
    public AbstractSelector openSelector() {
        SimSelector s = new SimSelector(this);
        selectors.add(s);
        return s;
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() {
        return new SimServerSocket(this);
    }

    @Override
    public SocketChannel openSocketChannel() {
        return new SimSocket(this);
    }

    @Override
    public DatagramChannel openDatagramChannel() {
        throw new UnsupportedOperationException("no datagrams in the simulation");
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) {
        throw new UnsupportedOperationException("no datagrams in the simulation");
    }

    @Override
    public Pipe openPipe() throws IOException {
        throw new UnsupportedOperationException("no pipes in the simulation");
    }
}

package dev.freshet.engine.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * A non-blocking TLS stream over a socket of the engine's loop, by {@link SSLEngine}: {@link #read} answers the
 * plaintext there is (0 when none yet, also while the handshake runs), {@link #write} takes what it can encrypt
 * (0 while the handshake runs or the socket does not take more). Encrypted records wait in a buffer of a few records
 * for the socket ({@link #flush}); plaintext unwrapped beyond what the caller took waits for its next read
 * ({@link #hasBufferedInput}: the selector does not know of it, the loop must read again). Memory per connection is
 * fixed: about nine TLS records.
 */
public final class TlsChannel implements ByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final SocketChannel socket;
    private final SSLEngine engine;
    /** Bytes from the socket not unwrapped yet (write mode). */
    private ByteBuffer netIn;
    /** Records not on the socket yet (write mode). */
    private final ByteBuffer netOut;
    /** Plaintext not taken yet (write mode). */
    private ByteBuffer appIn;
    private boolean eof;
    private boolean open = true;

    public TlsChannel(SocketChannel socket, SSLEngine engine) throws SSLException {
        this.socket = socket;
        this.engine = engine;
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(4 * s.getPacketBufferSize()); // one socket read takes several records
        netOut = ByteBuffer.allocate(4 * s.getPacketBufferSize());
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
        engine.beginHandshake();
    }

    /** Bytes already read from the socket (to tell TLS from plain BitTorrent) that begin this TLS stream. */
    public void feed(ByteBuffer bytes) {
        if (netIn.remaining() < bytes.remaining()) {
            netIn = grow(netIn, netIn.position() + bytes.remaining());
        }
        netIn.put(bytes);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = deliver(dst);
        boolean readSocket = false;
        while (dst.hasRemaining()) {
            int produced = unwrap(dst);
            n += produced;
            if (produced > 0) {
                continue; // more whole records may wait
            }
            if (readSocket || eof || !netIn.hasRemaining()) {
                break;
            }
            readSocket = true; // once per call: the selector says when there is more
            if (socket.read(netIn) < 0) {
                eof = true;
            }
        }
        return n == 0 && eof && appIn.position() == 0 ? -1 : n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new java.nio.channels.ClosedChannelException();
        }
        progress(engine.getHandshakeStatus());
        if (handshaking()) {
            flush();
            return 0;
        }
        int consumed = 0;
        while (src.hasRemaining()) {
            SSLEngineResult r = engine.wrap(src, netOut);
            consumed += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS session is closed");
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !flush()) {
                break; // the socket takes no more now: the rest waits for the caller's next write
            }
            progress(r.getHandshakeStatus());
        }
        return consumed;
    }

    /** Writes waiting records to the socket; true when none is left (also handshake messages to send). */
    public boolean flush() throws IOException {
        progress(engine.getHandshakeStatus());
        if (netOut.position() > 0) {
            netOut.flip();
            socket.write(netOut);
            netOut.compact();
        }
        return !hasPendingOutput();
    }

    /** Records (or handshake messages still to make) wait for the socket: a {@link #flush} has work. */
    public boolean hasPendingOutput() {
        return netOut.position() > 0 || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
    }

    /** Plaintext (or a whole record) is here already: read again without waiting for the socket. */
    public boolean hasBufferedInput() {
        if (appIn.position() > 0) {
            return true;
        }
        if (netIn.position() < 5) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= 5 + length;
    }

    /** Whether the handshake still runs (no plaintext goes either way until it is done). */
    public boolean handshaking() {
        HandshakeStatus hs = engine.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    public SSLEngine engine() {
        return engine;
    }

    /** The certificate the other side showed, once the handshake is done. */
    public Optional<X509Certificate> peerCertificate() {
        try {
            var chain = engine.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    public String protocol() {
        return engine.getSession().getProtocol();
    }

    @Override
    public boolean isOpen() {
        return open && socket.isOpen();
    }

    /** Says goodbye (close_notify, if the socket takes it at once) and closes the socket. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            engine.closeOutbound();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            socket.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        } finally {
            socket.close();
        }
    }

    private int deliver(ByteBuffer dst) {
        if (appIn.position() == 0) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer part = appIn.slice(appIn.position(), n);
        dst.put(part);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    /**
     * Unwraps the records {@link #netIn} holds into {@code dst} (straight in while it has room for a whole record,
     * else through {@link #appIn}), running the handshake as it asks; answers the plaintext bytes put in {@code dst}.
     * {@link #netIn} is flipped once for all the records of a call and compacted once after (compacting after each
     * record moved the records behind it again and again: three times the ciphertext copied for every record).
     */
    private int unwrap(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int app = engine.getSession().getApplicationBufferSize();
        boolean underflow = false;
        netIn.flip();
        try {
            while (true) {
                ByteBuffer target = appIn.position() == 0 && dst.remaining() >= app && !dst.isDirect() ? dst : appIn;
                SSLEngineResult r = engine.unwrap(netIn, target);
                progress(r.getHandshakeStatus());
                if (target == appIn) {
                    deliver(dst);
                }
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        underflow = true;
                        return dst.position() - start; // a record is not whole yet
                    }
                    case BUFFER_OVERFLOW -> {
                        if (appIn.position() == 0 && appIn.capacity() < app) {
                            appIn = grow(appIn, app);
                            continue;
                        }
                        if (appIn.position() > 0 && !dst.hasRemaining()) {
                            return dst.position() - start; // plaintext waits for the caller
                        }
                    }
                    case CLOSED -> {
                        eof = true;
                        return dst.position() - start;
                    }
                    default -> {
                        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                                && engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                            return dst.position() - start;
                        }
                        if (r.bytesConsumed() == 0 && !netIn.hasRemaining()) {
                            return dst.position() - start;
                        }
                        if (!dst.hasRemaining()) {
                            return dst.position() - start;
                        }
                    }
                }
            }
        } finally {
            netIn.compact();
            int packet = engine.getSession().getPacketBufferSize();
            if (underflow && netIn.capacity() < packet) {
                netIn = grow(netIn, packet);
            }
        }
    }

    /** Runs delegated tasks and wraps handshake messages while the engine asks. */
    private void progress(HandshakeStatus hs) throws IOException {
        while (true) {
            switch (hs) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run(); // a signature or a certificate check: a millisecond, on the loop's thread
                    }
                    hs = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        netOut.flip();
                        socket.write(netOut);
                        netOut.compact();
                        if (netOut.remaining() < engine.getSession().getPacketBufferSize()) {
                            return; // the socket is full: the next flush goes on
                        }
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return;
                    }
                    hs = r.getHandshakeStatus();
                }
                default -> {
                    return;
                }
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, b.capacity()));
        b.flip();
        bigger.put(b);
        return bigger;
    }
}

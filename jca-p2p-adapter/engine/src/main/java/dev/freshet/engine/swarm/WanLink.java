package dev.freshet.engine.swarm;

import dev.freshet.engine.ratelimit.TokenBucket;
import dev.freshet.engine.storage.PieceLayout;

/**
 * This node's share of its office's WAN link (issue 12): token buckets for what it may take from and send to
 * peers outside its office (rate 0: unlimited), the bytes that crossed, and whether a bucket ran dry since it was
 * last asked (the node wanted more than its share). Owned by the network loop; {@link #setRates} from any thread.
 * In-office peers never touch it: the LAN is not budgeted.
 *
 * <p>A budget is the link's: what the link carries is the payload and, per full TCP segment of 1448 bytes, 66 bytes
 * of Ethernet, IP and TCP headers (with timestamps), so the buckets are charged that too ({@link #onTheWire}); the
 * totals stay payload. The acknowledgements a download sends back up the link are not charged to the out bucket.
 */
final class WanLink {
    private final TokenBucket in;
    private final TokenBucket out;
    private long bytesIn;
    private long bytesOut;
    private boolean inHeld;
    private boolean outHeld;

    WanLink(long nowNanos) {
        // a tenth of a second of burst, not the usual quarter: a budget is held over the whole office, and every
        // node's burst adds up at the start of a transfer
        this.in = new TokenBucket(0, nowNanos, 10);
        this.out = new TokenBucket(0, nowNanos, 10);
    }

    /** Receive buffer size the connections were last fitted to. */
    private int fitted;

    /** Sets the shares; true when the receive buffers should be fitted again (the size moved by a quarter or more). */
    boolean setRates(long inRate, long outRate) {
        in.setRate(inRate);
        out.setRate(outRate);
        int size = receiveBuffer();
        if (size == 0 && fitted > 0) {
            size = MAX_BUFFER; // the share is lifted: fitted buffers cannot go back to autotuning, so they grow
        }
        if (size > 0 && (fitted == 0 || Math.abs(size - fitted) * 4L >= fitted)) {
            fitted = size;
            return true;
        }
        return false;
    }

    private static final int MAX_BUFFER = 4 << 20;

    void refill(long nowNanos) {
        in.refill(nowNanos);
        out.refill(nowNanos);
    }

    /** At most {@code budget} bytes, and no more than the WAN share lets in now. */
    long downloadBudget(long budget) {
        long w = in.available();
        if (w <= 0) {
            inHeld = true;
        }
        return Math.min(budget, w);
    }

    /**
     * The receive buffer a connection across the WAN gets while an in share is set: a tenth of a second of it (at
     * least 64 KiB; enough for the share over a 100 ms round trip; Linux doubles what is asked, so half is asked). Left to autotuning, the kernel grows a buffer to
     * megabytes, and a new connection takes that much at the link's full rate before our reading limits it: a burst
     * of a second or more over the budget (the WAN lab: 60 Mbit/s for seconds into an office of 40).
     */
    int receiveBuffer() {
        long rate = in.rate();
        return rate == 0 ? 0 : (int) Math.max(32 * 1024, Math.min(MAX_BUFFER / 2, rate / 20));
    }

    /**
     * Fits {@code c}'s receive buffer to the share ({@link #receiveBuffer}, or 4 MiB once a share was lifted);
     * nothing while no share was ever set (the kernel's autotuning then).
     */
    void fitReceiveBuffer(PeerConnection c) {
        int size = fitted;
        if (size > 0) {
            try {
                c.channel().setOption(java.net.StandardSocketOptions.SO_RCVBUF, size);
            } catch (java.io.IOException | UnsupportedOperationException e) {
                // a closed socket, or one without the option: the reading limit still holds, with a burst
            }
        }
    }

    /** What {@code payload} bytes of a bulk transfer take on the link. */
    static long onTheWire(long payload) {
        return payload + payload * 66 / 1448;
    }

    void downloaded(long bytes) {
        in.consume(onTheWire(bytes));
        bytesIn += bytes;
    }

    long uploadBudget(long budget) {
        long w = out.available();
        if (w < PieceLayout.BLOCK_SIZE) {
            outHeld = true;
        }
        return Math.min(budget, w);
    }

    void uploaded(long bytes) {
        out.consume(onTheWire(bytes));
        bytesOut += bytes;
    }

    /** The totals so far and the rates in force; clears the "held" marks. */
    WanTotals totals() {
        WanTotals t = new WanTotals(bytesIn, bytesOut, in.rate(), out.rate(), inHeld, outHeld);
        inHeld = false;
        outHeld = false;
        return t;
    }
}

package dev.freshet.engine.swarm;

import dev.freshet.engine.ratelimit.TokenBucket;
import dev.freshet.engine.storage.PieceLayout;

/**
 * This node's share of its office's WAN link (issue 12): token buckets for what it may take from and send to
 * peers outside its office (rate 0: unlimited), the bytes that crossed, and whether a bucket ran dry since it was
 * last asked (the node wanted more than its share). Owned by the network loop; {@link #setRates} from any thread.
 * In-office peers never touch it: the LAN is not budgeted.
 */
final class WanLink {
    private final TokenBucket in;
    private final TokenBucket out;
    private long bytesIn;
    private long bytesOut;
    private boolean inHeld;
    private boolean outHeld;

    WanLink(long nowNanos) {
        this.in = new TokenBucket(0, nowNanos);
        this.out = new TokenBucket(0, nowNanos);
    }

    void setRates(long inRate, long outRate) {
        in.setRate(inRate);
        out.setRate(outRate);
    }

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

    void downloaded(long bytes) {
        in.consume(bytes);
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
        out.consume(bytes);
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

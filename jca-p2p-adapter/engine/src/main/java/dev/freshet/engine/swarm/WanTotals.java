package dev.freshet.engine.swarm;

/**
 * What crossed this node's WAN link since the engine started (bytes read from and payload sent to peers outside
 * its office), the WAN rates in force (bytes per second, 0 = unlimited), and whether the node was held back by them
 * since it was last asked: it would have moved more over the WAN than its share let it.
 */
public record WanTotals(long bytesIn, long bytesOut, long inLimit, long outLimit, boolean inHeld, boolean outHeld) {
}

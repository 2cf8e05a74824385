package dev.freshet.control.offices;

import java.util.List;

/**
 * The cluster's offices as the directory and the WAN reports show them (issue 12): per office its nodes, the WAN
 * bytes and rates in and out, its budget and each node's share of it; per swarm what crossed each office's link
 * (÷ the swarm's size) and how long the office took from the publication to its last copy (÷ the bound, the size
 * over the office's inbound budget, where the office has one: the bound needs the link's rate).
 * Rates in bytes per second; bytes since each node's engine started; times in epoch millis (0: not yet).
 */
public record OfficesOverview(String localOffice, List<Office> offices, List<Swarm> swarms) {

    public record Office(String name, List<Node> nodes, long wanInRate, long wanOutRate, long wanIn, long wanOut,
                         OfficeBudget budget) {
    }

    /** A node: its WAN rates and bytes, its share of the budget (0: none), and whether the share held it back. */
    public record Node(String id, String name, boolean local, long wanInRate, long wanOutRate, long wanIn, long wanOut,
                       long inShare, long outShare, boolean inHeld, boolean outHeld) {
    }

    public record Swarm(String infoHash, String name, long size, long publishedAt, String publisherOffice,
                        List<SwarmInOffice> offices) {
    }

    /**
     * One office's part of a swarm: nodes that hold it, and complete; WAN bytes in and out (÷ size); when its last
     * node completed (0 while one has not); that time from the publication ÷ the bound (null without a bound).
     */
    public record SwarmInOffice(String office, int holders, int complete, long wanIn, long wanOut, double wanInPerSize,
                                long completedAt, Double timeOverBound) {
    }
}

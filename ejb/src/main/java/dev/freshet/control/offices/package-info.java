/**
 * Offices across WAN links (issue 12): each office's WAN budget, set once for the cluster and kept by every node;
 * each node's share of it, leased every second from what the office's nodes report; and what crossed each link, for
 * the API and the console.
 *
 * <p>How a budget is held: every node reports to the grid, each second, the WAN bytes per second it moved in each
 * direction and whether its share held it back ({@link WanReport}). Every node of an office computes the same
 * division of the office's budget from the same reports ({@link WanShares}: what a node used plus headroom, more for
 * those held back, the rest shared alike) and sets its own share in the engine. The shares always add up to the
 * budget, so the office as a whole never takes more; a node that joins gets an equal part of what is left at once,
 * and one that goes stops reporting and its part goes to the others within a few seconds.
 */
package dev.freshet.control.offices;

/**
 * The tracker every node runs (BEP 3 announce, BEP 23 compact peers, BEP 48 scrape): peers are the members
 * that hold the swarm (from the directory) plus the outside clients that announced, kept in the grid for
 * two announce intervals, so every node gives the same answer. It is an open tracker inside the
 * enterprise: a swarm need not be published in the cluster to be tracked.
 */
package dev.freshet.control.tracker;

/**
 * The tracker every node runs (BEP 3 announce, BEP 23 compact peers, BEP 48 scrape) for swarms published
 * in the cluster: peers are the members that hold the swarm (from the directory) plus the outside clients
 * that announced, kept in the grid for two announce intervals, so every node gives the same answer.
 */
package dev.freshet.control.tracker;

/**
 * The node's life: {@link dev.freshet.control.node.NodeLifecycle} resumes the catalog's swarms at start and
 * reconciles the node with the cluster directory every two seconds (announce itself, fetch swarms its
 * policy asks for, publish its holdings, give the engine the peers the directory knows);
 * {@link dev.freshet.control.node.PeerEventsBean} records what the engine reports.
 */
package dev.freshet.control.node;

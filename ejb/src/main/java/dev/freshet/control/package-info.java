/**
 * The control plane of a Freshet node: swarms, the catalog, the cluster directory, the tracker
 * logic and the distribution policies. Filled by the node issue; for now it only lays out the module.
 */
package dev.freshet.control;

/**
 * System tests: real Payara Micro processes with the built RAR and WAR on loopback ({@link
 * dev.freshet.it.MicroCluster}), driven through the REST API ({@link dev.freshet.it.Api}).
 */
package dev.freshet.it;

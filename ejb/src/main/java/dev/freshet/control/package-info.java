/**
 * The control plane of a node: what the REST API calls ({@link dev.freshet.control.Swarms}), policies, the
 * node's settings. Sub-packages: {@code catalog} (this node's own records, JPA), {@code directory} (what the
 * cluster knows, Hazelcast), {@code node} (start-up, reconciliation with the cluster, engine events).
 * It talks to the engine only through the resource adapter's {@code EngineConnectionFactory}.
 */
package dev.freshet.control;

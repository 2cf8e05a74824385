/**
 * The control plane of a node, by concern: how swarms come to the node ({@link dev.freshet.control.Publishing}),
 * the node's swarms ({@link dev.freshet.control.NodeSwarms}), what the cluster holds
 * ({@link dev.freshet.control.ClusterQueries}), rate limits ({@link dev.freshet.control.Limits}); policies, the
 * node's settings, one shared engine snapshot a second ({@link dev.freshet.control.EngineSnapshot}). It answers
 * domain values ({@link dev.freshet.control.NodeSwarm}, {@link dev.freshet.control.ClusterOverview}); their JSON
 * shape is the web tier's. Sub-packages: {@code catalog} (this node's own records, JPA), {@code directory} (what the
 * cluster knows, Hazelcast), {@code node} (start-up, reconciliation with the cluster, engine events).
 * It talks to the engine only through the resource adapter's {@code EngineConnectionFactory}.
 */
package dev.freshet.control;

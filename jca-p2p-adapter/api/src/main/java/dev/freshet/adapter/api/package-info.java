/**
 * What applications compile against: {@link dev.freshet.adapter.api.EngineConnectionFactory} (outbound:
 * control swarms) and {@link dev.freshet.adapter.api.PeerEventListener} (inbound: the engine's events,
 * delivered to a message-driven bean). Engine value types ({@code InfoHash}, {@code Metainfo},
 * {@code SwarmStatus}) cross this boundary as they are; sockets and threads never do.
 */
package dev.freshet.adapter.api;

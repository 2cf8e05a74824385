/**
 * Inbound side: endpoint activation for {@link dev.freshet.adapter.api.PeerEventListener} beans and the
 * dispatcher that carries engine events off the network thread to them.
 */
package dev.freshet.adapter.inbound;

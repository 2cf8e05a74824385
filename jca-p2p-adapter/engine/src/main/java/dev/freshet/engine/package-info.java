/**
 * The Freshet peer engine: a BitTorrent core in plain Java, with no Jakarta import, usable and
 * testable without a container. The JCA resource adapter wraps it; nothing here knows about it.
 *
 * <h2>Packages</h2>
 * <ul>
 *   <li>{@code bencode}: strict decoder and encoder (BEP 3).</li>
 *   <li>{@code metainfo}: torrents (BEP 3, 12, 19, 27), creation, magnet links (BEP 9), safe paths.</li>
 *   <li>{@code storage}: pieces mapped onto files, positional I/O, resume check.</li>
 *   <li>{@code wire}: peer wire messages (BEP 3, 6, 10) and their bounded, incremental codec.</li>
 *   <li>{@code picker}: which block to request next (rarest first, partial first, endgame).</li>
 *   <li>{@code choker}: whom to upload to (tit-for-tat plus an optimistic unchoke).</li>
 *   <li>{@code ratelimit}: token buckets for global and per-swarm limits.</li>
 *   <li>{@code swarm}: the engine itself: network loop, peer connections, swarms, events.</li>
 *   <li>{@code tracker}: an HTTP tracker client (BEP 3, 23).</li>
 *   <li>{@code cli}: the command-line entry point.</li>
 * </ul>
 *
 * <h2>Threading model</h2>
 * See {@link dev.freshet.engine.swarm.Engine}: one network thread owns every socket and every
 * piece of swarm and peer state; a hashing pool verifies pieces and posts results back to the
 * network thread's task queue; nothing else touches engine state.
 */
package dev.freshet.engine;

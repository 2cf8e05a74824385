/**
 * The engine: swarms, peer connections, and the network loop that drives them.
 *
 * <h2>Threading model</h2>
 * <ul>
 *   <li><b>One network thread</b> ({@link dev.freshet.engine.swarm.NetworkLoop}) owns the selector, every
 *   socket, and all swarm and peer state (picker, choker, request queues, rates), and the BEP 9 metadata
 *   fetches of magnet links ({@link dev.freshet.engine.swarm.MetadataFetch}). It never blocks on
 *   anything but the selector. Thousands of connections share it; there is no thread per connection.
 *   Received blocks are hashed as they arrive (when in order) and written to storage from this
 *   thread with positional writes (they land in the page cache); uploads read up to four blocks into
 *   the write buffer and send them with one write, or use {@code FileChannel.transferTo} when the
 *   engine is configured for zero-copy.</li>
 *   <li><b>A hashing pool</b> (an {@link java.util.concurrent.Executor} given in
 *   {@link dev.freshet.engine.swarm.EngineConfig}) verifies pieces whose blocks came out of order or
 *   that failed before, checks existing data on start and announces to trackers (HTTP, blocking). A task reads the piece back from storage, hashes it, and posts the
 *   result to the network thread's task queue; it touches no engine state.</li>
 *   <li><b>Callers</b> (the JCA adapter, the command line) call {@link dev.freshet.engine.swarm.Engine}
 *   from any thread: every call becomes a task on the network thread's queue, and answers come back as
 *   {@link java.util.concurrent.CompletableFuture}s.</li>
 *   <li><b>Events</b> ({@link dev.freshet.engine.swarm.EngineEvent}) are delivered to the
 *   {@link dev.freshet.engine.swarm.EngineListener} on the network thread, in order; a listener must
 *   hand them off and return at once.</li>
 * </ul>
 * Both executors are supplied by the embedder, so inside a container every thread comes from its
 * work manager.
 *
 * <h2>Memory</h2>
 * A connection takes a pooled read buffer (128 KiB) only while a partial message waits in it, and a
 * pooled write buffer only while it has something to send; idle peers hold neither. The pools are
 * bounded by the connection limit. Hashing reads a piece in chunks. Nothing is sized by the artifact,
 * so memory does not grow with it.
 */
package dev.freshet.engine.swarm;

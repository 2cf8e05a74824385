/**
 * Outbound side: the managed connection factory, managed connections and the handles
 * ({@link dev.freshet.adapter.api.EngineConnection}) applications get. No transactions: the engine's
 * operations are not transactional.
 */
package dev.freshet.adapter.outbound;

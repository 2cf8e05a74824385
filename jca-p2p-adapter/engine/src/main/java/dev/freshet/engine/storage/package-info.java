/**
 * Storage: the pieces of a torrent mapped onto its files ({@link dev.freshet.engine.storage.PieceLayout}),
 * a narrow port for block I/O ({@link dev.freshet.engine.storage.PieceStorage}) with a
 * {@link java.nio.channels.FileChannel} implementation, piece hashing, and the resume check that finds
 * which pieces already on disk are valid.
 *
 * <p>Thread contract: a storage may be read and written from several threads at once (positional
 * I/O only); it never holds more than a block or a hashing chunk of any torrent in memory.
 */
package dev.freshet.engine.storage;

/**
 * Storage: the pieces of a torrent mapped onto its files ({@link dev.freshet.engine.storage.PieceLayout}),
 * a narrow port for block I/O ({@link dev.freshet.engine.storage.PieceStorage}) with a
 * {@link java.nio.channels.FileChannel} implementation, piece hashing, and the resume check that finds
 * which pieces already on disk are valid.
 *
 * <h2>Thread contract</h2>
 * A storage may be read and written from several threads at once; it never holds more than a block or a hashing
 * chunk of any torrent in memory.
 *
 * <h2>File channels shared between threads: the design of {@link dev.freshet.engine.storage.FilePieceStorage}</h2>
 * <p>Who touches one torrent's files, and when:
 * <ul>
 *   <li>the <b>network loop</b> writes each received block and reads (or {@code transferTo}s) each block it
 *       uploads;</li>
 *   <li>the <b>hashing pool</b> reads whole pieces: verification of a completed piece, the resume check at start,
 *       the background scrub and a member's recheck request;</li>
 *   <li><b>control threads</b> call {@code flush} (a piece verified, a swarm paused) and {@code close} (a swarm
 *       stopped or removed) while the two above may still be running.</li>
 * </ul>
 * <p>The rules that make this safe, each kept by one place in the code:
 * <ol>
 *   <li><b>Positional I/O only.</b> Every read, write and transfer names its file offset
 *       ({@code read(dst, pos)}, {@code write(src, pos)}, {@code transferTo(pos, n, target)}); nothing ever calls
 *       {@code position(long)}, so threads share a channel without sharing a cursor. Two threads never write the
 *       same block at once (the network loop is the only writer), and a piece is hashed only after its last
 *       block was written.</li>
 *   <li><b>A counted handle per call.</b> Each call {@code acquire}s its file's handle (under the storage's lock,
 *       which guards only the table of open files, never I/O) and {@code release}s it after. A handle evicted from
 *       the table (at most {@link dev.freshet.engine.storage.FilePieceStorage#MAX_OPEN_FILES} open, least recently
 *       used first), reopened for writing, or left by {@code close} is <i>retired</i>: it is closed by its last
 *       user, never under a thread that is using it.</li>
 *   <li><b>Forced before closed.</b> A written file is forced to disk when its handle closes, because
 *       {@code flush} only sees the files still open.</li>
 *   <li><b>An interrupt costs one call, not the file.</b> A {@code FileChannel} is interruptible: a thread
 *       interrupted during I/O closes the channel for every thread that shares it. A channel found closed, not by
 *       the storage, is dropped from the table and the call tried once more on a fresh channel (positional writes
 *       of the same bytes are idempotent); only the interrupted thread's own call fails.</li>
 *   <li><b>No path outside the save directory.</b> Each path is checked by {@code SafePath} and, when its file is
 *       opened, against the real path of the save directory, so a planted symbolic link cannot lead a write
 *       out.</li>
 * </ol>
 * Tests: {@code FilePieceStorageTest} (boundaries, symbolic links, an interrupted thread), {@code Issue10ManyFilesTest}
 * (descriptors stay bounded while the network loop and the hashing pool share 25,000 files).
 */
package dev.freshet.engine.storage;

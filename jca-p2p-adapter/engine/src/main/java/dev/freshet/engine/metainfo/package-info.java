/**
 * Torrent metainfo, version 1 (BEP 3): single- and multi-file torrents with {@code announce},
 * {@code announce-list} (BEP 12), {@code private} (BEP 27) and {@code url-list} (BEP 19); magnet links
 * (BEP 9); and the rules that keep a torrent's file paths inside its save directory.
 *
 * <p>The info-hash is always the SHA-1 of the {@code info} bytes exactly as received, never of a
 * re-encoding.
 */
package dev.freshet.engine.metainfo;

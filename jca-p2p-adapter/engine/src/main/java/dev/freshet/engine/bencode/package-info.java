/**
 * Bencode (BEP 3), strict where the specification is strict: integers without leading zeros or
 * {@code -0}, string lengths within the input, dictionary keys unique and sorted, bounded nesting,
 * nothing after the root value. Every error carries the byte offset where decoding stopped.
 *
 * <p>Dictionary keys are held as ISO-8859-1 strings: that mapping is one-to-one on bytes and keeps
 * the raw byte order, so sorting and equality are those of the bytes on the wire.
 */
package dev.freshet.engine.bencode;

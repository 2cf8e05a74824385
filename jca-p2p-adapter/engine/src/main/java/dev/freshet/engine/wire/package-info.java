/**
 * The peer wire protocol: the handshake and every message of BEP 3, the fast extension (BEP 6) and
 * the extension protocol (BEP 10), as immutable values checked in their constructors, and one codec
 * that decodes incrementally from a {@link java.nio.ByteBuffer}, refusing any message longer than its
 * limit before reading it.
 */
package dev.freshet.engine.wire;

/**
 * Which blocks to request next. A pure data structure (no sockets, no clock, injected randomness):
 * finish started pieces first, then rarest first with a random tie-break, then endgame (duplicate
 * requests for the last blocks). Used by one thread at a time.
 */
package dev.freshet.engine.picker;

/**
 * An HTTP tracker client: BEP 3 announce with BEP 23 compact peer lists (and the older list of
 * dictionaries), bounded responses and {@code failure reason} as an error.
 */
package dev.freshet.engine.tracker;

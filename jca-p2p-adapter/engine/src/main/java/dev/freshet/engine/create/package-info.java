/**
 * Creating torrents from a file or a directory: walking the files in a stable order, choosing a
 * piece size, and hashing the pieces on all cores.
 */
package dev.freshet.engine.create;

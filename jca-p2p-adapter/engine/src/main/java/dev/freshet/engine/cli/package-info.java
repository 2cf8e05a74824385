/** The engine's command line: create a torrent, seed, download. Used by the benchmark and for debugging. */
package dev.freshet.engine.cli;

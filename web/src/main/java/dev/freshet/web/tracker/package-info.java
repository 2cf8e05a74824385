/** The tracker's HTTP side: {@code /announce} and {@code /scrape} at the root (clients expect those paths), bencoded. */
package dev.freshet.web.tracker;

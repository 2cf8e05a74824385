/**
 * Rate limits as token buckets, refilled by the network thread; a transfer takes tokens from every
 * bucket that applies (global and per swarm), so the tighter limit rules. Limits may be changed from
 * any thread while the engine runs.
 */
package dev.freshet.engine.ratelimit;

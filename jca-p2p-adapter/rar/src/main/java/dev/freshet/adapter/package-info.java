/**
 * The JCA glue around the peer engine. {@link dev.freshet.adapter.FreshetResourceAdapter} owns the one
 * {@code Engine} of a node: it starts it in {@code start()} with every thread taken from the
 * {@code BootstrapContext}'s {@code WorkManager} (the network loop as one long-lived {@code Work}, hashing
 * as short ones) and closes it in {@code stop()}. {@code outbound} hands applications connection handles,
 * {@code inbound} delivers engine events to message-driven beans.
 */
package dev.freshet.adapter;

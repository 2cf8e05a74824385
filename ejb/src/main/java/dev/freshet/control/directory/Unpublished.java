package dev.freshet.control.directory;

/**
 * A swarm an admin took out of the cluster (issue 14): every node that holds it removes it with its data, none
 * publishes or fetches it again while this entry stands; {@code by} is the admin, {@code at} when (epoch millis). A
 * publication of the same content afterwards takes the entry away (the swarm is wanted again).
 */
public record Unpublished(String infoHash, String name, String by, long at) {
}

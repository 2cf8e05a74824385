package dev.freshet.control.tracker;

import java.net.InetSocketAddress;
import java.util.List;

/** What the tracker answers: the re-announce interval, seeds and leechers counted, and some peers. */
public record TrackerAnswer(int interval, int complete, int incomplete, List<InetSocketAddress> peers) {
}

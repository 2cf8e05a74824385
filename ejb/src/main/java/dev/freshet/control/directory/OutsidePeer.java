package dev.freshet.control.directory;

/** A client outside the cluster that announced a swarm to one of the nodes' trackers. */
public record OutsidePeer(String infoHash, String ip, int port, boolean seed) {
    public String address() {
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}

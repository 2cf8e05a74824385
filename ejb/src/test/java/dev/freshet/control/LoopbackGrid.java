package dev.freshet.control;

import com.hazelcast.config.Config;

/**
 * The Hazelcast configuration of the control plane's grid tests: a cluster of its own name, members on 127.0.0.1
 * only, TCP/IP join over {@code members} consecutive ports from {@code port} (never multicast, no auto-detection),
 * no phone-home, no logging.
 */
public final class LoopbackGrid {
    private LoopbackGrid() {
    }

    public static Config config(String cluster, int port, int members) {
        Config c = new Config().setClusterName(cluster);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "none");
        var net = c.getNetworkConfig().setPort(port).setPortAutoIncrement(true).setPortCount(4);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        net.getJoin().getMulticastConfig().setEnabled(false);
        net.getJoin().getAutoDetectionConfig().setEnabled(false);
        var tcp = net.getJoin().getTcpIpConfig().setEnabled(true);
        for (int i = 0; i < members; i++) {
            tcp.addMember("127.0.0.1:" + (port + i));
        }
        return c;
    }
}

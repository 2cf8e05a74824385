package dev.freshet.control;

import com.hazelcast.config.Config;

/**
 * The Hazelcast configuration of the control plane's grid tests: a cluster of its own name, members on 127.0.0.1
 * only, TCP/IP join over {@code members} consecutive ports from {@code port} (never multicast, no auto-detection),
 * no phone-home, no logging.
 */
public final class LoopbackGrid {
    /** The seal of the tests' honest members: a cluster secret of their own. */
    public static final dev.freshet.control.grid.GridSeal SEAL =
            dev.freshet.control.grid.GridSeal.of("loopback-grid-test-secret-0123456789abcdef");
    private LoopbackGrid() {
    }

    /** {@code n} members of a new cluster named after {@code prefix}, on a random port range, started. */
    public static java.util.List<com.hazelcast.core.HazelcastInstance> start(String prefix, int n) {
        String cluster = prefix + "-" + java.util.UUID.randomUUID();
        int port = 7700 + new java.util.Random().nextInt(300) * 3;
        java.util.List<com.hazelcast.core.HazelcastInstance> members = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(com.hazelcast.core.Hazelcast.newHazelcastInstance(config(cluster, port, n)));
        }
        return members;
    }

    /** Stops {@code members} (any of them may be null), the last started first. */
    public static void stop(java.util.List<com.hazelcast.core.HazelcastInstance> members) {
        if (members != null) {
            for (int i = members.size() - 1; i >= 0; i--) {
                members.get(i).shutdown();
            }
        }
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

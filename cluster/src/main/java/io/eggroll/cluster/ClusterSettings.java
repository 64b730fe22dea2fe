package io.eggroll.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a process joins an eggroll cluster: a required cluster name, the interface it binds (loopback
 * unless told otherwise), its port range, and the explicit member list (TCP-IP join; multicast and
 * auto-detection are off, so nothing joins that was not named).
 *
 * @param clusterName      Hazelcast cluster name; members with another name never join
 * @param bind             the one interface to bind, e.g. {@code 127.0.0.1}
 * @param port             first port to try
 * @param portCount        ports tried from {@code port} (auto-increment)
 * @param members          {@code host:port} of members to contact, ranges {@code host:5701-5703} expanded
 * @param heartbeatSeconds a member silent this long is removed (a hung worker)
 */
public record ClusterSettings(String clusterName, String bind, int port, int portCount, List<String> members,
                              int heartbeatSeconds) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;

    private static final Pattern MEMBER = Pattern.compile("([^:\\s]+):(\\d{1,5})(?:-(\\d{1,5}))?");

    public ClusterSettings {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("a cluster name is required (--cluster-name): members with different "
                    + "names never join, which keeps two runs on one network apart");
        }
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("--bind needs an interface address, e.g. 127.0.0.1");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 1..65535, got " + port);
        }
        if (portCount < 1 || port + portCount - 1 > 65535) {
            throw new IllegalArgumentException("--port-count must be >= 1 and keep ports <= 65535, got " + portCount);
        }
        if (heartbeatSeconds < 1) {
            throw new IllegalArgumentException("--heartbeat-timeout must be >= 1 second, got " + heartbeatSeconds);
        }
        members = expandMembers(members);
    }

    /**
     * Parses {@code host:port} entries; {@code host:p1-p2} stands for every port in the range.
     * Throws naming the entry when one is malformed.
     */
    public static List<String> expandMembers(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("the member list is empty: give host:port[,host:port...] of at least "
                    + "one worker (e.g. 127.0.0.1:5701)");
        }
        List<String> out = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            Matcher m = MEMBER.matcher(e);
            if (!m.matches()) {
                throw new IllegalArgumentException("member '" + raw + "' is not host:port or host:firstPort-lastPort");
            }
            int from = Integer.parseInt(m.group(2));
            int to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
            if (from < 1 || to > 65535 || to < from || to - from > 1000) {
                throw new IllegalArgumentException("member '" + raw + "' has a bad port or port range");
            }
            for (int p = from; p <= to; p++) {
                out.add(m.group(1) + ":" + p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the member list is empty: give host:port[,host:port...]");
        }
        return List.copyOf(out);
    }

    /**
     * The Hazelcast configuration of one member. {@code lite} members (the coordinator) hold no
     * data and run no tasks; {@code attributes} are visible to every other member; the
     * {@code userContext} entries are how tasks find the worker they run on.
     */
    Config hazelcastConfig(String instanceName, boolean lite, Map<String, String> attributes,
                           Map<String, Object> userContext) {
        Config c = new Config();
        c.setInstanceName(instanceName);
        c.setClusterName(clusterName);
        c.setLiteMember(lite);
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "1");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(heartbeatSeconds));
        c.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(portCount > 1).setPortCount(portCount);
        net.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(members));
        c.getMemberAttributeConfig().setAttributes(attributes);
        c.getSerializationConfig().addDataSerializableFactory(Wire.FACTORY_ID, new Wire.Factory());
        // Our messages are IdentifiedDataSerializable; plain Java deserialization (exceptions coming
        // back) is limited to JDK, Hazelcast and eggroll classes, on top of the default blacklist.
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addPrefixes("java.", "com.hazelcast.", "io.eggroll.");
        c.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        c.getExecutorConfig(Wire.EXECUTOR).setPoolSize(2);
        c.setUserContext(new java.util.concurrent.ConcurrentHashMap<>(userContext));
        return c;
    }
}

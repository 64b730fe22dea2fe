package io.eggroll.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports for the cluster tests. */
final class Loopback {

    private Loopback() {}

    /**
     * Ports the system reports free, all held open at once so they differ (a port may still be taken
     * by someone else between close and bind; a test then fails at start-up, naming the port).
     */
    static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find " + n + " free loopback ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a socket that cannot close still gave its port number
                }
            }
        }
    }
}

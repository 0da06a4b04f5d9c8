package dev.fleetgate.agent.docker.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * Hands out host ports from the configured range. The ports of existing containers come from
 * their {@code fleetgate.port} label (so they survive an agent restart); a candidate must also
 * be free on the bind address right now. The search goes round the range, so a port just freed
 * by a drained replica is not handed out again at once.
 */
final class PortAllocator {

    private final int start;
    private final int end;
    private final InetAddress bindAddress;
    private int next;

    PortAllocator(int start, int end, String bindAddress) {
        if (start < 1 || end > 65535 || end < start) {
            throw new IllegalArgumentException("port range " + start + ".." + end + " is invalid");
        }
        this.start = start;
        this.end = end;
        this.next = start;
        try {
            this.bindAddress = InetAddress.getByName(bindAddress);
        } catch (IOException e) {
            throw new IllegalArgumentException("bindAddress " + bindAddress + " is invalid", e);
        }
    }

    /** @return a free port, or -1 when the range is exhausted */
    int allocate(Set<Integer> inUse) {
        int size = end - start + 1;
        for (int i = 0; i < size; i++) {
            int port = next;
            next = port == end ? start : port + 1;
            if (!inUse.contains(port) && bindable(port)) {
                return port;
            }
        }
        return -1;
    }

    private boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

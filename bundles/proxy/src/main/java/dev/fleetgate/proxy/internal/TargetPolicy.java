package dev.fleetgate.proxy.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a service's static targets may not point (finding "dangerous targets / SSRF"): nginx, the health checker
 * and the metrics scraper follow them from the agent's host. Link-local addresses ({@code 169.254.0.0/16},
 * {@code fe80::/10}) and cloud metadata endpoints are refused always; on the agent's own host (loopback,
 * {@code 0.0.0.0}, {@code localhost}) the ports of the agent's own servers are refused unless an admin sets
 * {@code allowUnsafeTargets}. Other loopback ports stay allowed: replicas on host networking listen there.
 * Only literals and well-known names are judged here (the core resolves nothing); the agent refuses link-local
 * addresses a name resolves to when it health-checks or scrapes.
 */
public final class TargetPolicy {

    /** nginx status port, Karaf SSH, the core's HTTP(S), PostgreSQL, the Docker engine's TCP ports. */
    public static final String DEFAULT_RESERVED_PORTS = "18081,8101,8080,8443,5432,2375,2376";

    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");

    private static final byte[] AWS_IPV6_METADATA = {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private final Set<Integer> reservedPorts;

    public TargetPolicy(Set<Integer> reservedPorts) {
        this.reservedPorts = Set.copyOf(reservedPorts);
    }

    public static TargetPolicy defaults() {
        return new TargetPolicy(ports(DEFAULT_RESERVED_PORTS));
    }

    /** @return the ports of a comma-separated list; blanks and non-numbers are ignored */
    public static Set<Integer> ports(String list) {
        Set<Integer> out = new TreeSet<>();
        for (String p : list == null ? new String[0] : list.split(",")) {
            try {
                int port = Integer.parseInt(p.trim());
                if (port > 0 && port < 65536) {
                    out.add(port);
                }
            } catch (NumberFormatException e) {
                // ignored
            }
        }
        return out;
    }

    public Set<Integer> reservedPorts() {
        return reservedPorts;
    }

    /**
     * @param host a normalised target host (IP literal or host name, as {@link ServiceValidator} leaves it)
     * @return why the target is refused, or null
     */
    public String problem(String host, int port, boolean allowUnsafe) {
        if (isLinkLocalOrMetadata(host)) {
            return "must not be a link-local or cloud metadata address";
        }
        if (!allowUnsafe && isThisHost(host) && reservedPorts.contains(port)) {
            return "port " + port + " on the agent's own host is reserved for the agent's servers " + reservedPorts
                    + " (an admin may set allowUnsafeTargets)";
        }
        return null;
    }

    /** @return whether a host is link-local ({@code 169.254.0.0/16}, {@code fe80::/10}) or a metadata endpoint */
    public static boolean isLinkLocalOrMetadata(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (METADATA_NAMES.contains(h)) {
            return true;
        }
        InetAddress a = literal(h);
        return a != null && isLinkLocalOrMetadata(a);
    }

    public static boolean isLinkLocalOrMetadata(InetAddress a) {
        if (a.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            // Alibaba Cloud's metadata service
            return (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200;
        }
        // AWS's IPv6 metadata endpoint fd00:ec2::254
        return a instanceof Inet6Address && java.util.Arrays.equals(b, AWS_IPV6_METADATA);
    }

    /** @return whether a host is the agent's own host: loopback, the unspecified address, localhost */
    static boolean isThisHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        InetAddress a = literal(h);
        return a != null && (a.isLoopbackAddress() || a.isAnyLocalAddress());
    }

    /** @return the address of an IP literal (no name is ever resolved), or null for a host name */
    private static InetAddress literal(String h) {
        if (!IpAddresses.isIpv4(h) && !IpAddresses.isIpv6(h)) {
            return null;
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

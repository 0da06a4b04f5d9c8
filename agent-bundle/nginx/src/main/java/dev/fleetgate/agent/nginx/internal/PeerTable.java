package dev.fleetgate.agent.nginx.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/**
 * The members of every upstream: the spec's targets, then the ready endpoints of the upstream's service
 * ({@code ServiceEndpoints}) that the spec does not list already. From them it derives what the health checker
 * checks, what Lua gets (the peers, with their rotation) and the {@code targets} of the status.
 */
public final class PeerTable {

    /** One member of an upstream; {@code key} identifies it for the health checker. */
    public record Member(
            String key,
            String upstream,
            String serviceId,
            String host,
            int port,
            int weight,
            boolean backup,
            Integer maxFails,
            Integer failTimeoutSeconds,
            Spec.HealthCheck check) {}

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Map<String, Spec.Upstream> upstreams = Map.of();
    private Map<String, List<Endpoint>> endpoints = Map.of();

    public synchronized void upstreams(List<Spec.Upstream> list) {
        Map<String, Spec.Upstream> m = new LinkedHashMap<>();
        list.forEach(u -> m.put(u.name(), u));
        this.upstreams = m;
    }

    public synchronized List<Spec.Upstream> upstreams() {
        return List.copyOf(upstreams.values());
    }

    public synchronized void endpoints(Map<String, List<Endpoint>> byService) {
        this.endpoints = Map.copyOf(byService);
    }

    /** @return every member of every upstream, in order; invalid endpoints are left out */
    public synchronized List<Member> members() {
        List<Member> out = new ArrayList<>();
        for (Spec.Upstream u : upstreams.values()) {
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < u.targets().size(); i++) {
                Spec.Target t = u.targets().get(i);
                String host = SafeValues.host("upstreams." + u.name() + ".targets[" + i + "].host", t.host());
                if (seen.add(host + ":" + t.port())) {
                    out.add(new Member(
                            key(u.name(), host, t.port()),
                            u.name(),
                            u.serviceId(),
                            host,
                            t.port(),
                            t.weight(),
                            t.backup(),
                            t.maxFails(),
                            t.failTimeoutSeconds(),
                            u.healthCheck()));
                }
            }
            for (Endpoint e :
                    u.serviceId() == null ? List.<Endpoint>of() : endpoints.getOrDefault(u.serviceId(), List.of())) {
                String host;
                try {
                    host = SafeValues.host("endpoint " + e.id(), e.host());
                } catch (IllegalArgumentException ex) {
                    continue;
                }
                if (e.port() > 0 && e.port() < 65536 && seen.add(host + ":" + e.port())) {
                    out.add(new Member(
                            key(u.name(), host, e.port()),
                            u.name(),
                            u.serviceId(),
                            host,
                            e.port(),
                            Math.max(1, Math.min(100, e.weight())),
                            false,
                            null,
                            null,
                            u.healthCheck()));
                }
            }
        }
        return out;
    }

    /** @return the health checks to run (members of upstreams with a health check) */
    public List<HealthChecker.CheckTarget> checks(List<Member> members, Function<String, HealthState.Status> initial) {
        List<HealthChecker.CheckTarget> out = new ArrayList<>();
        for (Member m : members) {
            if (m.check() != null) {
                SafeValues.httpPath(
                        "upstreams." + m.upstream() + ".healthCheck.path",
                        m.check().path());
                Spec.HealthCheck c = m.check();
                Spec.HealthCheck bounded = new Spec.HealthCheck(
                        c.path(),
                        Math.max(1, c.intervalSeconds()),
                        Math.max(1, c.timeoutSeconds()),
                        Math.max(1, c.fall()),
                        Math.max(1, c.rise()));
                out.add(new HealthChecker.CheckTarget(m.key(), m.host(), m.port(), bounded, initial.apply(m.key())));
            }
        }
        return out;
    }

    /**
     * The peers Lua gets: per upstream, the JSON text Lua stores (compared as a string, so equal input gives
     * equal text). Host names are resolved here; every address of a name becomes a peer.
     *
     * @param health "up", "down", "pending" or "none" per member key
     */
    public synchronized Map<String, String> payload(List<Member> members, Function<String, String> health) {
        Map<String, ArrayNode> peers = new LinkedHashMap<>();
        upstreams.keySet().forEach(name -> peers.put(name, JSON.arrayNode()));
        for (Member m : members) {
            String state = health.apply(m.key());
            for (String address : addresses(m.host())) {
                ObjectNode p = peers.get(m.upstream()).addObject();
                p.put("host", address)
                        .put("port", m.port())
                        .put("weight", m.weight())
                        .put("backup", m.backup())
                        .put("up", "up".equals(state) || "none".equals(state))
                        .put("health", state)
                        .put("target", m.host() + ":" + m.port());
                if (m.maxFails() != null) {
                    p.put("maxFails", m.maxFails());
                }
                if (m.failTimeoutSeconds() != null) {
                    p.put("failTimeout", m.failTimeoutSeconds());
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Spec.Upstream u : upstreams.values()) {
            ObjectNode o = JSON.objectNode();
            if (u.serviceId() != null) {
                o.put("serviceId", u.serviceId());
            }
            o.put("lbMethod", u.lbMethod());
            o.set("peers", peers.get(u.name()));
            out.put(u.name(), o.toString());
        }
        return out;
    }

    static String key(String upstream, String host, int port) {
        return upstream + "|" + host + "|" + port;
    }

    /** @return the IP literals of a host (IPv6 in brackets, as nginx's balancer wants them) */
    static List<String> addresses(String host) {
        try {
            List<String> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (SafeValues.isLinkLocalOrMetadata(a)) {
                    continue; // never a peer, whatever the name resolves to
                }
                String ip = a.getHostAddress();
                int zone = ip.indexOf('%');
                ip = zone >= 0 ? ip.substring(0, zone) : ip;
                String literal = ip.contains(":") ? "[" + ip + "]" : ip;
                if (!out.contains(literal)) {
                    out.add(literal);
                }
            }
            return out;
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}

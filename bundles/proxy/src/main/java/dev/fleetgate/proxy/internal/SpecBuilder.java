package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DomainNames;
import dev.fleetgate.proxy.HealthCheck;
import dev.fleetgate.proxy.Listen;
import dev.fleetgate.proxy.Location;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;
import dev.fleetgate.proxy.Site;
import dev.fleetgate.proxy.Target;
import dev.fleetgate.proxy.Timeouts;
import dev.fleetgate.proxy.Upstream;

/**
 * Builds an agent's {@link ProxySpec} from the services. Pure and deterministic: equal
 * inputs give equal specs (services by name, domains and targets in their stored order).
 *
 * <p>A host agent gets one site per service placed on it, forwarding to the service's
 * targets. An edge agent ({@link AgentInfo.Role#EDGE}) also gets, for every service placed
 * on other agents only, a site forwarding to those agents' reported addresses on
 * {@code edgeTargetPort} (their proxies' HTTP port, assumed 80 and configurable), with no
 * active health check and no extra headers (the host agent's site adds them).
 */
public final class SpecBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(SpecBuilder.class);
    private static final Comparator<StoredService> ORDER =
            Comparator.comparing(StoredService::name).thenComparing(StoredService::id);

    private final int edgeTargetPort;

    public SpecBuilder(int edgeTargetPort) {
        this.edgeTargetPort = edgeTargetPort;
    }

    /** The upstream name of a service. */
    public static String upstreamName(StoredService s) {
        return "svc-" + s.id();
    }

    /**
     * @param agent    the agent the spec is for
     * @param services every service
     * @param agents   looks up other agents (edge role: their addresses)
     */
    public ProxySpec build(
            AgentInfo agent, List<StoredService> services, Function<String, Optional<AgentInfo>> agents) {
        List<StoredService> sorted = new ArrayList<>(services);
        sorted.sort(ORDER);
        boolean edge = agent.role() == AgentInfo.Role.EDGE;
        List<Site> sites = new ArrayList<>();
        List<Upstream> upstreams = new ArrayList<>();
        for (StoredService s : sorted) {
            if (s.config().agentIds().contains(agent.id())) {
                sites.add(site(s, s.config().requestHeaders(), s.config().responseHeaders()));
                upstreams.add(hostUpstream(s));
            } else if (edge && !s.config().agentIds().isEmpty()) {
                sites.add(site(s, null, null));
                upstreams.add(edgeUpstream(s, agent, agents));
            }
        }
        return new ProxySpec(sites, upstreams, List.of(), null);
    }

    /**
     * Runs the contributors in the given order; one that throws or answers null is
     * skipped and the spec it got is kept.
     */
    public static ProxySpec contribute(AgentInfo agent, ProxySpec spec, List<ProxySpecContributor> contributors) {
        ProxySpec current = spec;
        for (ProxySpecContributor c : contributors) {
            try {
                ProxySpec next = c.contribute(agent, current);
                if (next == null) {
                    LOG.warn("Proxy spec contributor {} returned null for agent {}; ignored", c, agent.id());
                } else {
                    current = next;
                }
            } catch (RuntimeException e) {
                LOG.error(
                        "Proxy spec contributor {} failed for agent {}; its contribution is skipped", c, agent.id(), e);
            }
        }
        return current;
    }

    private static Site site(StoredService s, Map<String, String> requestHeaders, Map<String, String> responseHeaders) {
        ServiceConfig c = s.config();
        ServiceConfig.Timeouts t = c.timeouts();
        return new Site(
                s.id().toString(),
                s.id().toString(),
                c.name(),
                c.domains(),
                List.of(Listen.HTTP),
                List.of(Location.proxy("/", upstreamName(s))),
                null,
                List.of(),
                List.of(),
                SafeText.bytes(c.maxBodySize()),
                new Timeouts(t.connectSeconds(), t.readSeconds(), t.sendSeconds()),
                requestHeaders,
                responseHeaders,
                c.websockets());
    }

    private static Upstream hostUpstream(StoredService s) {
        ServiceConfig.Upstream u = s.config().upstream();
        List<Target> targets = new ArrayList<>();
        for (ServiceConfig.Target t : u.targets()) {
            targets.add(new Target(t.host(), t.port(), t.weight(), t.maxFails(), t.failTimeoutSeconds(), false));
        }
        ServiceConfig.HealthCheck h = u.healthCheck();
        HealthCheck hc = h == null
                ? null
                : new HealthCheck(h.path(), h.intervalSeconds(), h.timeoutSeconds(), h.fall(), h.rise());
        return new Upstream(upstreamName(s), s.id().toString(), lbMethod(u.lbMethod()), u.keepalive(), targets, hc);
    }

    private Upstream edgeUpstream(StoredService s, AgentInfo self, Function<String, Optional<AgentInfo>> agents) {
        Set<String> addresses = new LinkedHashSet<>();
        for (String id : s.config().agentIds()) {
            if (id.equals(self.id())) {
                continue;
            }
            agents.apply(id)
                    .map(AgentInfo::address)
                    .filter(a -> a != null && !a.isBlank())
                    .map(SpecBuilder::stripBrackets)
                    .ifPresent(addresses::add);
        }
        List<Target> targets = new ArrayList<>();
        for (String a : addresses) {
            // An agent reports its own address: never let it carry syntax into the edge's config.
            if (IpAddresses.isIpv4(a) || IpAddresses.isIpv6(a) || isHostname(a)) {
                targets.add(Target.of(a, edgeTargetPort));
            } else {
                LOG.warn(
                        "Agent address {} of service {} is not an IP address or host name; left out of the edge",
                        a.replaceAll("[^\\x20-\\x7e]", "?"),
                        s.name());
            }
        }
        ServiceConfig.Upstream u = s.config().upstream();
        return new Upstream(upstreamName(s), s.id().toString(), lbMethod(u.lbMethod()), u.keepalive(), targets, null);
    }

    private static boolean isHostname(String a) {
        try {
            DomainNames.checkHostname(a);
            return true;
        } catch (DomainNames.InvalidNameException e) {
            return false;
        }
    }

    private static String stripBrackets(String a) {
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }

    static Upstream.LbMethod lbMethod(String m) {
        return switch (m) {
            case "least_conn" -> Upstream.LbMethod.LEAST_CONN;
            case "ip_hash" -> Upstream.LbMethod.IP_HASH;
            default -> Upstream.LbMethod.ROUND_ROBIN;
        };
    }
}

package dev.fleetgate.firewall.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.Topics;
import dev.fleetgate.firewall.detect.AddressRanges;
import dev.fleetgate.firewall.detect.Decision;
import dev.fleetgate.firewall.detect.Settings;

/**
 * Decisions the agents' live detectors report in their sync ({@code status.firewall.decisions}, see the README's
 * protocol), read from EventAdmin {@value Topics#AGENT_REPORT}: each new one becomes a block (scoped to its service,
 * fleet-wide for known-bad patterns), and fleet-wide correlation isolates a client everywhere when it was decided
 * on by detectors on {@code correlation.services} services or {@code correlation.agents} agents within
 * {@code maxTtlSeconds}. Memory is bounded: the last {@value #MAX_SEEN} decisions and {@value #MAX_CLIENTS}
 * correlated clients.
 */
@Component(
        service = {EventHandler.class, FirewallReports.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_REPORT)
public final class FirewallReports implements EventHandler {
    static final int MAX_SEEN = 100_000;
    static final int MAX_CLIENTS = 10_000;
    static final int MAX_PER_REPORT = 1_000;
    /** Top clients read per report: services, clients per service. */
    static final int MAX_TOP_SERVICES = 512;

    public static final int MAX_TOP_CLIENTS = 20;
    /** An agent's top clients older than this are not answered (the agents count over 5 to 10 minutes). */
    static final long TOP_MAX_AGE_MILLIS = 600_000;

    private static final Logger LOG = LoggerFactory.getLogger(FirewallReports.class);

    private final FirewallService firewall;
    private final Map<String, Boolean> seen = lru(MAX_SEEN);
    private final Map<String, Spread> spread = lru(MAX_CLIENTS);
    /** Agent id → its last reported top clients. */
    private final Map<String, AgentTop> tops = lru(MAX_CLIENTS);

    /** One agent's busiest clients per service key ("" = no service) when it reported them. */
    record AgentTop(long atMillis, Map<String, List<TopClient>> services) {}

    /**
     * A busy client of a service: requests and answers ≥ 400 over the agents' last 5 to 10 minutes, summed over
     * the agents that reported it.
     */
    public record TopClient(String ip, long requests, long errors, int agents) {}

    /** Where one client was decided on. */
    static final class Spread {
        final Set<String> services = new HashSet<>();
        final Set<String> agents = new HashSet<>();
        long first;
        boolean global;
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    @Activate
    public FirewallReports(@Reference FirewallService firewall) {
        this.firewall = firewall;
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getProperty("agentId") instanceof String agentId
                && event.getProperty("status") instanceof JsonNode status) {
            JsonNode top = status.path(FirewallService.SECTION).path("topClients");
            if (top.isArray()) {
                acceptTop(agentId, top);
            }
            JsonNode list = status.path(FirewallService.SECTION).path("decisions");
            if (list.isArray() && list.size() > 0) {
                try {
                    accept(agentId, list);
                } catch (RuntimeException e) {
                    LOG.warn("Could not take the firewall decisions of agent {}: {}", agentId, e.getMessage());
                }
            }
        }
    }

    /** @return the decisions taken (new ones; repeated reports of the same decision are ignored) */
    synchronized List<Decision> accept(String agentId, JsonNode list) {
        List<Decision> taken = new ArrayList<>();
        int n = 0;
        for (JsonNode j : list) {
            if (++n > MAX_PER_REPORT) {
                break;
            }
            Decision d = read(j);
            if (d == null
                    || seen.put(agentId + " " + d.client() + " " + d.detector() + " " + d.timeMillis(), true) != null) {
                continue;
            }
            UUID service = uuid(d.serviceId());
            boolean global = Settings.PATTERNS.equals(d.detector()) || service == null;
            if (firewall.decide(d, global ? null : service) != null) {
                taken.add(d);
            }
            correlate(agentId, d);
        }
        return taken;
    }

    /** Keeps an agent's {@code status.firewall.topClients} (malformed entries dropped, sizes capped). */
    public void acceptTop(String agentId, JsonNode top) {
        Map<String, List<TopClient>> services = new LinkedHashMap<>();
        for (JsonNode t : top) {
            if (services.size() >= MAX_TOP_SERVICES) {
                break;
            }
            String service = "";
            if (t.path("serviceId").isTextual()) {
                UUID id = uuid(t.path("serviceId").asText());
                if (id == null) {
                    continue;
                }
                service = id.toString();
            }
            List<TopClient> clients = new ArrayList<>();
            for (JsonNode c : t.path("clients")) {
                String ip = AddressRanges.canonical(c.path("ip").asText(""));
                long requests = c.path("requests").asLong(-1);
                long errors = c.path("errors").asLong(-1);
                if (ip != null
                        && requests > 0
                        && errors >= 0
                        && errors <= requests
                        && clients.size() < MAX_TOP_CLIENTS) {
                    clients.add(new TopClient(ip, requests, errors, 1));
                }
            }
            if (!clients.isEmpty()) {
                services.put(service, List.copyOf(clients));
            }
        }
        synchronized (tops) {
            tops.put(agentId, new AgentTop(firewall.now().toEpochMilli(), services));
        }
    }

    /**
     * @param serviceId a service, or null for every service (key "" = requests without a service)
     * @param limit     clients per service at most
     * @return service key → its busiest clients over the agents' recent reports, most requests first
     */
    public Map<String, List<TopClient>> topClients(UUID serviceId, int limit) {
        long cutoff = firewall.now().toEpochMilli() - TOP_MAX_AGE_MILLIS;
        Map<String, Map<String, long[]>> sum = new java.util.TreeMap<>();
        synchronized (tops) {
            for (AgentTop t : tops.values()) {
                if (t.atMillis() < cutoff) {
                    continue;
                }
                t.services().forEach((service, clients) -> {
                    if (serviceId == null || service.equals(serviceId.toString())) {
                        Map<String, long[]> m = sum.computeIfAbsent(service, k -> new java.util.HashMap<>());
                        for (TopClient c : clients) {
                            long[] v = m.computeIfAbsent(c.ip(), k -> new long[3]);
                            v[0] += c.requests();
                            v[1] += c.errors();
                            v[2]++;
                        }
                    }
                });
            }
        }
        Map<String, List<TopClient>> out = new LinkedHashMap<>();
        sum.forEach((service, m) -> {
            List<TopClient> list = new ArrayList<>();
            m.forEach((ip, v) -> list.add(new TopClient(ip, v[0], v[1], (int) v[2])));
            list.sort(java.util.Comparator.comparingLong(TopClient::requests)
                    .reversed()
                    .thenComparing(TopClient::ip));
            out.put(service, List.copyOf(list.subList(0, Math.min(limit, list.size()))));
        });
        return out;
    }

    private void correlate(String agentId, Decision d) {
        Settings s = firewall.settings();
        String mode = s.modeOf(Settings.CORRELATION);
        if ("off".equals(mode)) {
            return;
        }
        long now = firewall.now().toEpochMilli();
        Spread sp = spread.get(d.client());
        if (sp == null || now - sp.first > s.maxTtlSeconds * 1000L) {
            sp = new Spread();
            sp.first = now;
            spread.put(d.client(), sp);
        }
        if (d.serviceId() != null && sp.services.size() < 1000) {
            sp.services.add(d.serviceId());
        }
        if (sp.agents.size() < 1000) {
            sp.agents.add(agentId);
        }
        Settings.Detector c = s.detector(Settings.CORRELATION);
        boolean manyServices = sp.services.size() >= c.param("services");
        boolean manyAgents = sp.agents.size() >= c.param("agents");
        if (sp.global || !(manyServices || manyAgents)) {
            return;
        }
        sp.global = true;
        Map<String, Long> counts = new LinkedHashMap<>(d.counts());
        counts.put("services", (long) sp.services.size());
        counts.put("agents", (long) sp.agents.size());
        String reason = String.format(
                Locale.ROOT,
                "decided on by detectors on %d service(s) and %d agent(s) (threshold %.0f "
                        + "services or %.0f agents); last: %s",
                sp.services.size(),
                sp.agents.size(),
                c.param("services"),
                c.param("agents"),
                d.reason());
        firewall.decide(
                new Decision(
                        d.client(),
                        null,
                        Settings.CORRELATION,
                        c.action(),
                        "enforce".equals(mode),
                        d.score(),
                        reason,
                        d.line(),
                        d.timeMillis(),
                        counts,
                        d.samples()),
                null);
    }

    /** @return the decision, or null when the entry is malformed (agents are not trusted blindly) */
    static Decision read(JsonNode j) {
        String ip = AddressRanges.normalise(j.path("ip").asText(""));
        String detector = j.path("detector").asText("");
        if (ip == null
                || ip.contains("/")
                || !Settings.DETECTORS.contains(detector)
                || Settings.CORRELATION.equals(detector)) {
            return null;
        }
        String action = j.path("action").asText("block");
        if (!Settings.ACTIONS.contains(action)) {
            return null;
        }
        String service = j.path("serviceId").isTextual() ? j.path("serviceId").asText() : null;
        if (service != null && uuid(service) == null) {
            service = null;
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = j.path("counts").fields();
        while (it.hasNext() && counts.size() < 32) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber() && e.getKey().length() <= 40) {
                counts.put(e.getKey(), e.getValue().asLong());
            }
        }
        List<String> samples = new ArrayList<>();
        for (JsonNode s : j.path("samples")) {
            if (s.isTextual() && samples.size() < 5) {
                samples.add(clean(s.asText(), 1024));
            }
        }
        double score = j.path("score").asDouble(1);
        return new Decision(
                ip,
                service,
                detector,
                action,
                "enforce".equals(j.path("mode").asText()),
                Double.isFinite(score) ? score : 1,
                clean(j.path("reason").asText(detector), 500),
                0,
                j.path("at").asLong(0),
                counts,
                samples);
    }

    /** Cut to {@code max} characters, without NUL (PostgreSQL refuses it) or other control characters. */
    private static String clean(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString();
    }

    private static UUID uuid(String s) {
        if (s == null || s.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package dev.fleetgate.firewall.internal;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;
import dev.fleetgate.firewall.FirewallEvents;
import dev.fleetgate.firewall.detect.AddressRanges;
import dev.fleetgate.firewall.detect.Decision;
import dev.fleetgate.firewall.detect.Replay;
import dev.fleetgate.firewall.detect.Settings;

/**
 * The firewall module's operations: settings, blocks (manual and detected; TTL doubling for repeat offenders up to
 * {@code maxTtlSeconds}), replay. A change of the settings recomputes the agents' {@value #SECTION} section, a
 * change of the blocks their {@value #BLOCKS_SECTION} section; a timer (every 15 s) removes expired blocks.
 */
@Component(service = FirewallService.class)
public final class FirewallService {
    /** The desired-state section of the agents' detectors (settings). */
    public static final String SECTION = "firewall";
    /** The desired-state section of the agents' nginx (blocks). */
    public static final String BLOCKS_SECTION = "firewall-blocks";
    /** The detector name of blocks made by people. */
    public static final String MANUAL = "manual";
    /** Most clients a replay answers with. */
    public static final int MAX_REPLAY_DECISIONS = 10_000;

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(FirewallService.class);

    private final FirewallStore store;
    private final DesiredStateService desired;
    private final EventAdmin events;
    private final AgentDirectory agents;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile Settings settings;

    @Activate
    public FirewallService(
            @Reference FirewallStore store,
            @Reference DesiredStateService desired,
            @Reference EventAdmin events,
            @Reference AgentDirectory agents) {
        this(store, desired, events, agents, Clock.systemUTC(), true);
    }

    FirewallService(
            FirewallStore store,
            DesiredStateService desired,
            EventAdmin events,
            AgentDirectory agents,
            Clock clock,
            boolean purge) {
        this.store = store;
        this.desired = desired;
        this.events = events;
        this.agents = agents;
        this.clock = clock;
        this.settings = store.settings().map(FirewallService::read).orElseGet(Settings::defaults);
        this.timer = purge ? Threads.every("fleetgate-firewall-expiry", Duration.ofSeconds(15), this::purge) : null;
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static Settings read(String json) {
        try {
            Map<String, Object> m = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
            Settings s = Settings.fromMap(m, (f, msg) -> LOG.warn("Stored firewall setting {} {}: ignored", f, msg));
            return s == null ? Settings.defaults() : s;
        } catch (JsonProcessingException e) {
            LOG.warn("Stored firewall settings unreadable, using the defaults");
            return Settings.defaults();
        }
    }

    public Instant now() {
        return clock.instant();
    }

    public Settings settings() {
        return settings;
    }

    /** Stores validated settings and sends them to the agents. */
    public void putSettings(Settings s) {
        try {
            store.putSettings(JSON.writeValueAsString(s.toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        settings = s;
        desired.changed(SECTION);
    }

    public List<FirewallStore.Block> blocks() {
        return store.blocks(now());
    }

    /**
     * Addresses never blocked besides the allowlist: this core's own addresses and every agent's (the edge
     * included).
     */
    public Set<String> neverBlock() {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int pct = text.indexOf('%');
                    out.add(pct < 0 ? text : text.substring(0, pct));
                }
            }
        } catch (SocketException e) {
            LOG.warn("Cannot list this host's addresses: {}", e.getMessage());
        }
        out.add("127.0.0.1");
        out.add("::1");
        for (AgentInfo a : agents.list()) {
            String addr = a.address();
            if (addr != null && AddressRanges.normalise(addr) != null) {
                out.add(addr);
            }
        }
        return out;
    }

    /** @return why {@code ip} may not be blocked, or null when it may */
    public String protectedReason(String ip) {
        if (new AddressRanges(settings.allow).contains(ip)) {
            return "is in the allowlist";
        }
        if (new AddressRanges(neverBlock()).contains(ip)) {
            return "is the core, an agent or the edge";
        }
        return null;
    }

    /**
     * Blocks a client (a person's block is always enforced).
     *
     * @param ttlSeconds the block's length, or null: the settings' TTL doubled for every earlier offence
     * @return the stored block
     */
    public FirewallStore.Block block(
            String ip,
            UUID serviceId,
            Integer ttlSeconds,
            String detector,
            String action,
            boolean enforced,
            String reason,
            String evidence) {
        Instant now = now();
        Settings s = settings;
        int before = store.offend(ip, now, now.minus(Duration.ofSeconds(2L * s.maxTtlSeconds)));
        long ttl = ttlSeconds != null
                ? ttlSeconds
                : Math.min(s.maxTtlSeconds, (long) s.ttlSeconds << Math.min(before, 20));
        FirewallStore.Block b = new FirewallStore.Block(
                ip,
                serviceId,
                detector,
                action,
                enforced,
                reason,
                evidence == null ? "{}" : evidence,
                now,
                now.plusSeconds(ttl));
        store.put(b);
        if (enforced) {
            desired.changed(BLOCKS_SECTION);
        }
        post(b, true);
        LOG.info(
                "Firewall: {} {} {} for {} s ({}{})",
                enforced ? "blocked" : "would block (shadow)",
                ip,
                serviceId == null ? "everywhere" : "on service " + serviceId,
                ttl,
                detector,
                before > 0 ? ", offence " + (before + 1) : "");
        return b;
    }

    /** A detector's decision (replay never calls this; agents' reports and correlation do). */
    public FirewallStore.Block decide(Decision d, UUID serviceId) {
        if (protectedReason(d.client()) != null) {
            return null;
        }
        Instant now = now();
        for (UUID scope : serviceId == null ? List.<UUID>of() : List.of(serviceId)) {
            if (active(d.client(), scope, now, d.enforce())) {
                return null;
            }
        }
        if (active(d.client(), null, now, d.enforce())) {
            return null; // already isolated: no new offence while the block lasts
        }
        try {
            return block(
                    d.client(),
                    serviceId,
                    null,
                    d.detector(),
                    d.action(),
                    d.enforce(),
                    d.reason(),
                    JSON.writeValueAsString(evidence(d)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean active(String ip, UUID serviceId, Instant now, boolean enforce) {
        return store.block(ip, serviceId)
                .filter(b -> b.expiresAt().isAfter(now) && (b.enforced() || !enforce))
                .isPresent();
    }

    /** @return the evidence of a decision as stored and answered */
    public static Map<String, Object> evidence(Decision d) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("detector", d.detector());
        m.put("score", d.score());
        m.put("counts", d.counts());
        m.put("samples", d.samples());
        m.put("line", d.line());
        m.put("at", d.timeMillis());
        return m;
    }

    /** @return how many blocks were removed */
    public int unblock(String ip, UUID serviceId, boolean allScopes) {
        List<FirewallStore.Block> gone = new ArrayList<>();
        for (FirewallStore.Block b : store.blocks(now())) {
            if (b.ip().equals(ip) && (allScopes || java.util.Objects.equals(b.serviceId(), serviceId))) {
                gone.add(b);
            }
        }
        int n = store.delete(ip, serviceId, allScopes);
        if (n > 0) {
            desired.changed(BLOCKS_SECTION);
            gone.forEach(b -> post(b, false));
        }
        return n;
    }

    /** Replays a log with the current settings (shadow and enforce detectors alike). */
    public Replay.Result replay(Reader in) throws IOException {
        return Replay.run(in, settings, neverBlock(), MAX_REPLAY_DECISIONS);
    }

    void purge() {
        try {
            List<FirewallStore.Block> gone = store.purge(now());
            if (!gone.isEmpty()) {
                desired.changed(BLOCKS_SECTION);
                gone.forEach(b -> post(b, false));
            }
        } catch (RuntimeException e) {
            LOG.warn("Firewall expiry failed: {}", e.getMessage());
        }
    }

    private void post(FirewallStore.Block b, boolean blocked) {
        String scope = b.serviceId() == null ? "global" : "service";
        if (blocked) {
            Map<String, Object> p = new HashMap<>();
            p.put("ip", b.ip());
            p.put("scope", scope);
            if (b.serviceId() != null) {
                p.put("serviceId", b.serviceId().toString());
            }
            p.put("detector", b.detector());
            p.put("action", b.action());
            p.put("enforced", b.enforced());
            p.put("reason", b.reason());
            p.put("expiresAt", b.expiresAt().toEpochMilli());
            p.put("evidence", b.evidence());
            events.postEvent(new Event(FirewallEvents.BLOCKED_TOPIC, p));
        }
        if (!b.enforced()) {
            return;
        }
        AlertEvent e = blocked
                ? AlertEvent.firing(FirewallEvents.BLOCKED_KIND, b.ip()).message(b.reason())
                : AlertEvent.cleared(FirewallEvents.BLOCKED_KIND, b.ip()).message("unblocked");
        e.severity(Severity.WARNING).label("detector", b.detector()).label("scope", scope);
        if (b.serviceId() != null) {
            e.label("service", b.serviceId().toString());
        }
        events.postEvent(new Event(e.topic(), e.toProperties()));
    }
}

package dev.fleetgate.agent.firewall.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AccessLogEntry;
import dev.fleetgate.agent.AccessLogListener;
import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.sdk.MetricSink;
import dev.fleetgate.agent.sdk.MetricSource;
import dev.fleetgate.firewall.detect.Analyzer;
import dev.fleetgate.firewall.detect.Decision;
import dev.fleetgate.firewall.detect.Request;
import dev.fleetgate.firewall.detect.Settings;
import dev.fleetgate.firewall.detect.TopClients;

/**
 * Runs the firewall detectors over the proxy's access log as it is written (the {@link AccessLogListener}
 * fan-out) with the settings of the desired-state section {@code firewall} ({@code settings}, {@code neverBlock});
 * decisions are reported to the core in the sync as {@code status.firewall.decisions} (the last
 * {@value #MAX_PENDING}, each kept {@value #KEEP_MILLIS} ms: the core ignores repeats) and a sync is requested
 * at once. Before the section arrives nothing is analysed. Enforcement (nginx) is not this bundle's job.
 */
@Component(
        service = {AccessLogListener.class, StateApplier.class, MetricSource.class},
        property = {StateApplier.SECTION + "=firewall", MetricSource.NAME + "=firewall"})
public final class LiveDetection implements AccessLogListener, StateApplier, MetricSource {
    static final int MAX_PENDING = 1000;
    static final long KEEP_MILLIS = 120_000;
    /** Top clients are counted over the last one to two periods of this length. */
    static final long TOP_PERIOD_MILLIS = 300_000;
    /** Top clients reported per service. */
    static final int TOP_LIMIT = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(LiveDetection.class.getName());

    private final AgentContext agent;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private final Deque<long[]> times = new ArrayDeque<>();
    private final Deque<ObjectNode> pending = new ArrayDeque<>();
    private Analyzer analyzer;
    private JsonNode applied;
    private long requests;
    private long decisions;
    private boolean fresh;
    /** "detector mode" → decisions since start (a handful of keys: detectors × modes). */
    private final Map<String, Long> perDetector = new TreeMap<>();
    /** The busiest clients per service (bounded sketch), reported as {@code status.firewall.topClients}. */
    private final TopClients top = new TopClients(TOP_PERIOD_MILLIS);

    @Activate
    public LiveDetection(@Reference AgentContext agent) {
        this(agent, System::currentTimeMillis);
    }

    LiveDetection(AgentContext agent, LongSupplier clock) {
        this.agent = agent;
        this.clock = clock;
    }

    @Override
    public void apply(long revision, JsonNode body) {
        JsonNode settingsNode = body == null ? null : body.get("settings");
        JsonNode never = body == null ? null : body.get("neverBlock");
        List<String> problems = new ArrayList<>();
        Settings s = settingsNode == null || !settingsNode.isObject()
                ? Settings.defaults()
                : Settings.fromMap(
                        JSON.convertValue(settingsNode, new TypeReference<Map<String, Object>>() {}),
                        (f, m) -> problems.add("firewall.settings." + f + " " + m));
        if (s == null) {
            throw new IllegalArgumentException(String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }
        List<String> neverBlock = new ArrayList<>();
        if (never != null && never.isArray()) {
            never.forEach(n -> neverBlock.add(n.asText()));
        }
        JsonNode settingsTree = JSON.valueToTree(s.toMap());
        JsonNode neverTree = JSON.valueToTree(neverBlock);
        ArrayNode key = JSON.createArrayNode();
        key.add(settingsTree);
        key.add(neverTree);
        synchronized (lock) {
            if (!key.equals(applied)) {
                analyzer = new Analyzer(s, neverBlock, this::decided); // state starts over with new settings
                applied = key;
            }
        }
    }

    @Override
    public void onAccessLog(List<AccessLogEntry> entries) {
        boolean report;
        synchronized (lock) {
            if (analyzer == null) {
                return;
            }
            for (AccessLogEntry e : entries) {
                top.add(e.timeMillis(), e.serviceId(), e.clientAddress(), e.status());
                try {
                    analyzer.accept(
                            new Request(
                                    e.timeMillis(),
                                    e.serviceId(),
                                    e.clientAddress(),
                                    e.method(),
                                    Request.target(e.path(), e.query()),
                                    e.status(),
                                    e.userAgent(),
                                    null),
                            0);
                    requests++;
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "firewall: entry skipped: " + ex);
                }
            }
            report = fresh;
            fresh = false;
        }
        if (report) {
            agent.requestSync();
        }
    }

    /** Called by the analyser under {@link #lock}. */
    private void decided(Decision d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ip", d.client());
        if (d.serviceId() != null) {
            o.put("serviceId", d.serviceId());
        }
        o.put("detector", d.detector());
        o.put("action", d.action());
        o.put("mode", d.enforce() ? "enforce" : "shadow");
        o.put("score", d.score());
        o.put("reason", d.reason());
        o.put("at", d.timeMillis());
        o.set("counts", JSON.valueToTree(d.counts()));
        o.set("samples", JSON.valueToTree(d.samples()));
        pending.addLast(o);
        times.addLast(new long[] {clock.getAsLong()});
        while (pending.size() > MAX_PENDING) {
            pending.removeFirst();
            times.removeFirst();
        }
        decisions++;
        perDetector.merge(d.detector() + " " + (d.enforce() ? "enforce" : "shadow"), 1L, Long::sum);
        fresh = true;
    }

    /** {@code firewall_requests_total} (requests analysed) and {@code firewall_decisions_total{detector,mode}}. */
    @Override
    public void collect(MetricSink sink) {
        Map<String, Long> counts;
        long analysed;
        synchronized (lock) {
            counts = new TreeMap<>(perDetector);
            analysed = requests;
        }
        sink.counter("firewall_requests_total", analysed);
        counts.forEach((key, n) -> {
            String[] dm = key.split(" ");
            sink.counter("firewall_decisions_total", n, "detector", dm[0], "mode", dm[1]);
        });
    }

    @Override
    public JsonNode status() {
        ObjectNode o = JSON.createObjectNode();
        synchronized (lock) {
            long cutoff = clock.getAsLong() - KEEP_MILLIS;
            while (!times.isEmpty() && times.peekFirst()[0] < cutoff) {
                times.removeFirst();
                pending.removeFirst();
            }
            o.put("active", analyzer != null);
            o.put("requests", requests);
            o.put("decisionsTotal", decisions);
            if (analyzer != null) {
                o.put("clientsTracked", analyzer.stats()[3]);
            }
            ArrayNode list = o.putArray("decisions");
            pending.forEach(list::add);
            ArrayNode busiest = o.putArray("topClients");
            top.top(clock.getAsLong(), TOP_LIMIT).forEach((service, clients) -> {
                ObjectNode t = busiest.addObject();
                if (!TopClients.NO_SERVICE.equals(service)) {
                    t.put("serviceId", service);
                }
                ArrayNode cs = t.putArray("clients");
                for (TopClients.Entry c : clients) {
                    cs.addObject()
                            .put("ip", c.client())
                            .put("requests", c.requests())
                            .put("errors", c.errors());
                }
            });
        }
        return o;
    }
}

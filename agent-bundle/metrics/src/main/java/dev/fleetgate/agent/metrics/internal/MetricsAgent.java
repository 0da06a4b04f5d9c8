package dev.fleetgate.agent.metrics.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AccessLogEntry;
import dev.fleetgate.agent.AccessLogListener;
import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.MetricsOutbox;
import dev.fleetgate.agent.ServiceEndpoints;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.metrics.internal.buffer.MetricsBuffer;
import dev.fleetgate.agent.metrics.internal.container.Cgroups;
import dev.fleetgate.agent.metrics.internal.container.ContainerCollector;
import dev.fleetgate.agent.metrics.internal.container.DockerApi;
import dev.fleetgate.agent.metrics.internal.host.HostCollector;
import dev.fleetgate.agent.metrics.internal.nginx.AccessLogAggregator;
import dev.fleetgate.agent.metrics.internal.nginx.StubStatus;
import dev.fleetgate.agent.metrics.internal.scrape.MetricsSection;
import dev.fleetgate.agent.metrics.internal.scrape.Scraper;
import dev.fleetgate.agent.sdk.MetricSource;

/**
 * The agent's metrics: collects host, container and nginx metrics, runs plugin
 * {@link MetricSource}s and the scrapes of the core's {@code metrics} section, and buffers the
 * batches for the sync ({@link MetricsOutbox}). Starts once the agent is enrolled.
 */
@Designate(ocd = MetricsConfig.class)
@Component(
        configurationPid = MetricsConfig.PID,
        service = {MetricsOutbox.class, StateApplier.class, AccessLogListener.class},
        property = StateApplier.SECTION + "=metrics")
public final class MetricsAgent implements MetricsOutbox, StateApplier, AccessLogListener {

    private static final Logger LOG = System.getLogger(MetricsAgent.class.getName());

    private final AgentContext agent;
    private final MetricsConfig config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final MetricsBuffer buffer;
    private final AccessLogAggregator access;
    private final ContainerCollector containers;
    private final StubStatus stubStatus;
    private final Collection collection;
    private final List<ServiceEndpoints> endpoints = new CopyOnWriteArrayList<>();
    private volatile long revision = -1;
    private volatile boolean stopped;

    @Activate
    public MetricsAgent(@Reference AgentContext agent, MetricsConfig config) throws IOException {
        this.agent = agent;
        this.config = config;
        Path root = Path.of(config.hostRoot());
        this.buffer = new MetricsBuffer(
                agent.stateDir().resolve("metrics"),
                config.bufferMaxBytes(),
                3,
                Math.max(1L << 20, Math.min(16L << 20, config.bufferMaxBytes() / 8)),
                mapper);
        this.access = new AccessLogAggregator(System.nanoTime());
        HostCollector host = new HostCollector(root);
        Path cgroupRoot = config.cgroupRoot().isBlank() ? root.resolve("sys/fs/cgroup") : Path.of(config.cgroupRoot());
        this.containers = config.containers()
                ? new ContainerCollector(new DockerApi(config.dockerHost(), mapper), new Cgroups(cgroupRoot), root)
                : null;
        this.stubStatus = config.nginx() ? new StubStatus(config.adminPort()) : null;
        Map<String, Collection.Round> rounds = new LinkedHashMap<>();
        rounds.put("host", host::collect);
        if (containers != null) {
            rounds.put("containers", containers::collect);
        }
        if (stubStatus != null) {
            rounds.put("nginx", stubStatus::collect);
        }
        rounds.put("access-log", access::flush);
        this.collection = new Collection(
                new Samples(config.maxSeries()),
                buffer,
                mapper,
                Math.max(1, config.maxSeriesPerBatch()),
                this::batchReady,
                rounds);
        int interval = Math.max(1, Math.min(3600, config.intervalSeconds()));
        collection.start(interval);
        LOG.log(
                Level.INFO,
                "metrics every {0} s from {1}; buffer {2} (max {3} bytes)",
                interval,
                root,
                agent.stateDir().resolve("metrics"),
                config.bufferMaxBytes());
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        collection.stop();
        buffer.close();
    }

    private void batchReady() {
        if (!stopped) {
            agent.requestSync();
        }
    }

    // --- plugin sources and container endpoints (whiteboards) ---

    @Reference(
            service = MetricSource.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        String key = String.valueOf(properties.get("service.id"));
        Object nameProp = properties.get(MetricSource.NAME);
        String name = nameProp != null
                ? String.valueOf(nameProp)
                : String.valueOf(properties.getOrDefault("component.name", key));
        int interval = interval(properties.get(MetricSource.INTERVAL));
        MetricSource[] held = new MetricSource[1];
        collection.addSource(key, new Collection.Source(name, interval, () -> {
            synchronized (held) {
                if (held[0] == null) {
                    held[0] = objects.getService();
                }
                return held[0];
            }
        }));
        LOG.log(
                Level.INFO,
                "metric source {0} added (every {1} s)",
                name,
                interval > 0 ? interval : collection.intervalSeconds());
    }

    void removeSource(ComponentServiceObjects<MetricSource> objects, Map<String, Object> properties) {
        collection.removeSource(String.valueOf(properties.get("service.id")));
    }

    private static int interval(Object value) {
        try {
            int seconds =
                    value == null ? 0 : Integer.parseInt(String.valueOf(value).trim());
            return seconds >= 1 && seconds <= 3600 ? seconds : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEndpoints(ServiceEndpoints provider) {
        endpoints.add(provider);
    }

    void removeEndpoints(ServiceEndpoints provider) {
        endpoints.remove(provider);
    }

    private List<MetricsSection.Target> containerTargets(String serviceId) {
        List<MetricsSection.Target> targets = new ArrayList<>();
        for (ServiceEndpoints provider : endpoints) {
            try {
                for (ServiceEndpoints.Endpoint e : provider.endpoints().getOrDefault(serviceId, List.of())) {
                    targets.add(new MetricsSection.Target(e.host(), e.port()));
                }
            } catch (RuntimeException e) {
                // a provider going away
            }
        }
        return targets;
    }

    // --- StateApplier: section "metrics" ---

    @Override
    public void apply(long revision, JsonNode body) {
        MetricsSection section = MetricsSection.parse(body, Math.max(1, Math.min(3600, config.intervalSeconds())));
        collection.setInterval(section.intervalSeconds());
        collection.setScrapes(section.scrapes(), this::containerTargets);
        this.revision = revision;
        LOG.log(
                Level.INFO,
                "metrics section {0}: every {1} s, {2} scrapes",
                revision,
                section.intervalSeconds(),
                section.scrapes().size());
    }

    @Override
    public JsonNode status() {
        ObjectNode status = mapper.createObjectNode();
        status.put("revision", revision);
        status.put("intervalSeconds", collection.intervalSeconds());
        status.put("lastBatchSeries", collection.lastBatchSeries());
        MetricsBuffer.Stats s = buffer.stats();
        ObjectNode b = status.putObject("buffer");
        b.put("batches", s.batches());
        b.put("inMemory", s.inMemory());
        b.put("onDisk", s.onDisk());
        b.put("diskBytes", s.diskBytes());
        b.put("maxBytes", config.bufferMaxBytes());
        b.put("droppedSamples", s.droppedPoints());
        b.put("droppedBatches", s.droppedBatches());
        ArrayNode sources = status.putArray("sources");
        for (Collection.Source source : collection.sources()) {
            ObjectNode o = sources.addObject();
            o.put("name", source.name);
            o.put(
                    "intervalSeconds",
                    source.intervalSeconds > 0 ? source.intervalSeconds : collection.intervalSeconds());
            o.put("errors", source.errors);
            o.put("error", source.lastError);
        }
        ArrayNode scrapes = status.putArray("scrapes");
        for (Scraper.Outcome outcome : collection.outcomes()) {
            ObjectNode o = scrapes.addObject();
            o.put("serviceId", outcome.serviceId());
            o.put("target", outcome.target());
            o.put("up", outcome.up());
            o.put("samples", outcome.samples());
            o.put("error", outcome.error());
        }
        ObjectNode errors = status.putObject("errors");
        collection.roundErrors().forEach(errors::put);
        if (containers != null && containers.lastError() != null) {
            errors.put("containers", containers.lastError());
        }
        if (stubStatus != null && stubStatus.lastError() != null) {
            errors.put("nginx", stubStatus.lastError());
        }
        status.put("containers", containers == null ? 0 : containers.containers());
        return status;
    }

    // --- AccessLogListener ---

    @Override
    public void onAccessLog(List<AccessLogEntry> entries) {
        access.add(entries);
    }

    // --- MetricsOutbox ---

    @Override
    public Batch poll() {
        return buffer.poll();
    }

    @Override
    public void acknowledge(Batch batch) {
        buffer.acknowledge(batch);
    }

    @Override
    public void giveBack(Batch batch) {
        buffer.giveBack(batch);
    }

    @Override
    public boolean hasPending() {
        return buffer.hasPending();
    }
}

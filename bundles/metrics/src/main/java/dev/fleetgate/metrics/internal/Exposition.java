package dev.fleetgate.metrics.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;

/**
 * The Prometheus exposition: the core's own health ({@code fleetgate_core_*}: agents,
 * sync reports, ingestion, JVM) and the latest value of every fleet series newer than
 * {@code latestMaxAgeSeconds}, from memory (no database read).
 */
@Component(service = Exposition.class)
public final class Exposition {
    static final String CORE_PREFIX = "fleetgate_core_";

    private final MetricsStorage storage;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AgentDirectory agents;

    @Activate
    public Exposition(@Reference MetricsStorage storage) {
        this.storage = storage;
    }

    public String render() {
        PrometheusText out = new PrometheusText();
        core(out);
        fleet(out);
        return out.toString();
    }

    private void core(PrometheusText out) {
        AgentDirectory dir = agents;
        if (dir != null) {
            List<AgentInfo> all = dir.list();
            long online = all.stream()
                    .filter(a -> a.status() == AgentInfo.Status.ONLINE)
                    .count();
            out.family(CORE_PREFIX + "agents", "gauge", "Enrolled agents by status.")
                    .sample(Map.of("status", "online"), online)
                    .sample(Map.of("status", "offline"), all.size() - online);
        }
        IngestStats s = storage.stats();
        out.family(
                        CORE_PREFIX + "sync_reports_total",
                        "counter",
                        "Agent syncs this core handled (with a status report).")
                .sample(s.syncReports());
        out.family(CORE_PREFIX + "metrics_batches_total", "counter", "Metric batches stored by this core.")
                .sample(s.batches());
        out.family(CORE_PREFIX + "metrics_rows_total", "counter", "Samples stored by this core.")
                .sample(s.rows());
        out.family(CORE_PREFIX + "metrics_rows_per_second", "gauge", "Samples stored per second, last minute.")
                .sample(s.rowsPerSecond());
        out.family(
                        CORE_PREFIX + "metrics_ingest_errors_total",
                        "counter",
                        "Batches not stored (the agent resends them).")
                .sample(s.errors());
        out.family(
                        CORE_PREFIX + "metrics_rejected_points_total",
                        "counter",
                        "Malformed or out-of-range points skipped.")
                .sample(s.rejectedPoints());
        out.family(CORE_PREFIX + "metrics_rejected_series_total", "counter", "Malformed series skipped.")
                .sample(s.rejectedSeries());
        out.family(CORE_PREFIX + "metrics_ingest_seconds_total", "counter", "Time spent storing batches.")
                .sample(s.seconds());
        out.family(CORE_PREFIX + "metrics_series_cached", "gauge", "Series ids cached in memory.")
                .sample(storage.series().size());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.family(CORE_PREFIX + "jvm_memory_bytes", "gauge", "JVM memory by area and kind.")
                .sample(Map.of("area", "heap", "kind", "used"), heap.getUsed())
                .sample(Map.of("area", "heap", "kind", "committed"), heap.getCommitted())
                .sample(Map.of("area", "heap", "kind", "max"), heap.getMax())
                .sample(Map.of("area", "nonheap", "kind", "used"), nonHeap.getUsed())
                .sample(Map.of("area", "nonheap", "kind", "committed"), nonHeap.getCommitted());
        out.family(CORE_PREFIX + "jvm_threads", "gauge", "Live JVM threads.")
                .sample(ManagementFactory.getThreadMXBean().getThreadCount());
        out.family(CORE_PREFIX + "uptime_seconds", "gauge", "Seconds since the JVM started.")
                .sample(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    private void fleet(PrometheusText out) {
        long minTs = storage.clock().millis() - storage.settings().latestMaxAgeSeconds() * 1000L;
        List<LatestCache.Entry> entries = storage.latest().all(minTs);
        entries.sort(Comparator.comparing((LatestCache.Entry e) -> e.key().name())
                .thenComparing(e -> e.key().labels().toString()));
        String family = null;
        for (LatestCache.Entry e : entries) {
            String name = e.key().name();
            if (name.startsWith(CORE_PREFIX)) {
                continue; // reserved for the core's own families
            }
            if (!name.equals(family)) {
                out.family(name, "untyped", null);
                family = name;
            }
            out.sample(e.key().labels(), e.value());
        }
    }
}

package dev.fleetgate.metrics.internal;

import static dev.fleetgate.metrics.internal.Batches.batch;
import static dev.fleetgate.metrics.internal.Batches.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.persistence.testing.MutableClock;

/** The Prometheus text: core families, then the latest fleet values with escaped labels. */
class ExpositionIT {
    @RegisterExtension
    static final MetricsDatabase db = new MetricsDatabase();

    @Test
    void rendersCoreHealthAndTheFleetsLatestValues() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        MetricsStorage storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), clock);
        Ingestor ingestor = new Ingestor(storage);
        long t = clock.millis() - 5000;
        ingestor.accept(
                "a1",
                batch().series("host_cpu_usage_percent", labels("cpu", "total"), t - 10_000, 3, t, 12.5)
                        .series("custom_mem", labels("note", "say \"hi\" \\ bye"), t, 30)
                        .series("fleetgate_core_agents", labels(), t, 99)
                        .json());
        Exposition exposition = new Exposition(storage);
        exposition.agents = new AgentDirectory() {
            @Override
            public List<AgentInfo> list() {
                return List.of(
                        agent("a1", AgentInfo.Status.ONLINE),
                        agent("a2", AgentInfo.Status.OFFLINE),
                        agent("a3", AgentInfo.Status.ONLINE));
            }

            @Override
            public Optional<AgentInfo> get(String agentId) {
                return Optional.empty();
            }
        };
        new ReportCounter(storage).handleEvent(null);
        String text = exposition.render();
        assertTrue(
                text.contains("# TYPE fleetgate_core_agents gauge\nfleetgate_core_agents{status=\"online\"} 2\n"
                        + "fleetgate_core_agents{status=\"offline\"} 1\n"),
                text);
        assertTrue(text.contains("\nfleetgate_core_sync_reports_total 1\n"));
        assertTrue(text.contains("\nfleetgate_core_metrics_rows_total 4\n"));
        assertTrue(text.contains("fleetgate_core_jvm_memory_bytes{area=\"heap\",kind=\"used\"} "));
        assertTrue(
                text.contains(
                        "# TYPE custom_mem untyped\ncustom_mem{agent=\"a1\",note=\"say \\\"hi\\\" \\\\ bye\"} 30\n"),
                text);
        assertTrue(
                text.contains("# TYPE host_cpu_usage_percent untyped\n"
                        + "host_cpu_usage_percent{agent=\"a1\",cpu=\"total\"} 12.5\n"),
                text);
        assertFalse(text.contains(" 99\n"), "fleet series may not pose as the core's own families");
        assertEquals(1, text.split("# TYPE fleetgate_core_agents ").length - 1);

        clock.advance(java.time.Duration.ofHours(1));
        assertFalse(exposition.render().contains("host_cpu_usage_percent"), "stale values are left out");
        storage.close();
    }

    private static AgentInfo agent(String id, AgentInfo.Status status) {
        return new AgentInfo(id, id, id, AgentInfo.Role.HOST, status, Instant.now(), "0.1.0", null);
    }
}

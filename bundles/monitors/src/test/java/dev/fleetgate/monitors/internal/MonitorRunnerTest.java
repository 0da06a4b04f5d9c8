package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.monitors.MonitorState;

class MonitorRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z");

    private static TaskView task(String status, String result, String error) throws Exception {
        return new TaskView(
                "t",
                "a",
                "http.probe",
                null,
                TaskStatus.valueOf(status),
                result == null ? null : JSON.readTree(result),
                error,
                1,
                NOW,
                NOW,
                NOW,
                NOW.plusSeconds(60));
    }

    @Test
    void downFiresAndUpClears() {
        UUID id = UUID.randomUUID();
        Map<String, Object> fire = MonitorRunner.alert(new Transition(id, "shop", MonitorState.UP, MonitorState.DOWN))
                .toProperties();
        assertEquals("monitor.down", fire.get(AlertEvent.KIND));
        assertEquals(id.toString(), fire.get(AlertEvent.SUBJECT));
        assertEquals(AlertEvent.FIRING, fire.get(AlertEvent.STATE));
        ProbeResult cause =
                new ProbeResult("agent-1", NOW, false, 500, 4, "status", "unexpected status 500", null, null);
        Map<String, Object> report = MonitorRunner.alert(
                        new Transition(id, "shop", "https://shop.test/", MonitorState.UP, MonitorState.DOWN, cause))
                .toProperties();
        assertEquals(
                "Monitor shop (https://shop.test/) is DOWN: status — unexpected status 500 (agent agent-1)",
                report.get(AlertEvent.MESSAGE));
        assertEquals(
                Map.of("monitor", "shop", "target", "https://shop.test/", "errorKind", "status", "agent", "agent-1"),
                report.get(AlertEvent.LABELS));
        AlertEvent clear = MonitorRunner.alert(new Transition(id, "shop", MonitorState.DOWN, MonitorState.UP));
        assertEquals(AlertTopics.CLEARED, clear.topic());
        assertNull(MonitorRunner.alert(new Transition(id, "shop", MonitorState.UP, MonitorState.DEGRADED)));
        assertNull(MonitorRunner.alert(new Transition(id, "shop", MonitorState.PENDING, MonitorState.UP)));
        assertNull(MonitorRunner.alert(new Transition(id, "shop", MonitorState.DOWN, MonitorState.UNKNOWN)));
    }

    @Test
    void taskOutcomesBecomeResults() throws Exception {
        ProbeResult ok = MonitorRunner.toResult(
                        "a",
                        task(
                                "SUCCEEDED",
                                "{\"ok\":true,\"status\":200,\"latencyMs\":12,"
                                        + "\"tlsExpiresAt\":\"2027-01-01T00:00:00Z\"}",
                                null),
                        null,
                        NOW)
                .orElseThrow();
        assertTrue(ok.ok());
        assertEquals(200, ok.status());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), ok.tlsExpiresAt());
        assertNull(ok.errorKind());

        ProbeResult bad = MonitorRunner.toResult(
                        "a",
                        task(
                                "SUCCEEDED",
                                "{\"ok\":false,\"status\":null," + "\"errorKind\":\"tls\",\"error\":\"expired\"}",
                                null),
                        null,
                        NOW)
                .orElseThrow();
        assertFalse(bad.ok());
        assertEquals("tls", bad.errorKind());
        assertNull(bad.status());

        ProbeResult failed = MonitorRunner.toResult(
                        "a", task("FAILED", null, "no handler for task type http.probe"), null, NOW)
                .orElseThrow();
        assertEquals("agent", failed.errorKind());

        assertTrue(MonitorRunner.toResult("a", task("EXPIRED", null, null), null, NOW)
                .isEmpty());
        assertTrue(MonitorRunner.toResult("a", task("DELIVERED", null, null), null, NOW)
                .isEmpty());
        assertTrue(MonitorRunner.toResult("a", null, new IllegalStateException(), NOW)
                .isEmpty());
    }

    private static StoredMonitor monitor(String type, String target, String expect, String options) throws Exception {
        return new StoredMonitor(
                UUID.fromString("00000000-0000-0000-0000-000000000001"),
                "m",
                type,
                target,
                60,
                java.util.List.of("a"),
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(expect),
                true,
                2,
                5000,
                MonitorState.UP,
                NOW,
                NOW,
                NOW,
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(options),
                null,
                null);
    }

    @Test
    void payloadsPerType() throws Exception {
        StoredMonitor dns = monitor(
                "dns",
                "www.example.test",
                "{\"values\":[\"127.0.0.1\"]}",
                "{\"recordType\":\"A\",\"resolver\":\"127.0.0.1:53\"}");
        assertEquals("dns.probe", MonitorRunner.taskType(dns));
        assertEquals(
                "{\"timeoutMs\":5000,\"name\":\"www.example.test\",\"recordType\":\"A\",\"resolver\":"
                        + "\"127.0.0.1:53\",\"expectValues\":[\"127.0.0.1\"]}",
                MonitorRunner.payload(dns).toString());
        StoredMonitor json = monitor("json", "http://h/status", "{}", "{\"headers\":{\"X-K\":\"v\"}}");
        assertEquals("json.probe", MonitorRunner.taskType(json));
        assertEquals(
                "{\"timeoutMs\":5000,\"url\":\"http://h/status\",\"headers\":{\"X-K\":\"v\"}}",
                MonitorRunner.payload(json).toString());
        assertEquals(
                "v",
                MonitorRunner.payload(
                                monitor("http", "http://h/", "{\"statuses\":[]}", "{\"headers\":{\"X-K\":\"v\"}}"))
                        .get("headers")
                        .get("X-K")
                        .asText());
    }

    @Test
    void resourceFieldsBecomeSeriesLabelledWithTheMonitor() throws Exception {
        StoredMonitor json = monitor("json", "http://h/status", "{}", "{}");
        ProbeResult r = new ProbeResult(
                "a",
                NOW,
                true,
                200,
                3,
                null,
                null,
                null,
                JSON.readTree("{\"fields\":{\"cpu\":60,\"mem\":30,\"disk\":43,\"uptime\":95826}}"));
        com.fasterxml.jackson.databind.JsonNode series = ResourceMetrics.series(json, r);
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.HashMap<>();
        series.forEach(s -> byName.put(s.get("name").asText(), s));
        assertEquals(
                java.util.Set.of(
                        "monitor_resource_cpu",
                        "monitor_resource_mem",
                        "monitor_resource_disk",
                        "monitor_resource_uptime",
                        "host_cpu_usage_percent",
                        "host_memory_used_percent",
                        "host_filesystem_used_percent"),
                byName.keySet());
        assertEquals(
                "{\"monitor\":\"m\",\"monitorId\":\"00000000-0000-0000-0000-000000000001\",\"cpu\":\"total\"}",
                byName.get("host_cpu_usage_percent").get("labels").toString());
        assertEquals(
                "[[" + NOW.toEpochMilli() + ",95826.0]]",
                byName.get("monitor_resource_uptime").get("points").toString());
    }

    @Test
    void theDownReportSaysWhatFailedSinceWhenWhereAndTheServiceTraffic() {
        UUID id = UUID.randomUUID();
        ProbeResult a = new ProbeResult("a1", NOW, false, null, 5, "connect", "Connection refused", null, null);
        ProbeResult b = new ProbeResult("a2", NOW, false, null, 5000, "timeout", "timed out after 5000 ms", null, null);
        DownReport report =
                new DownReport(java.util.List.of(a, b), 3, NOW.minusSeconds(20), NOW.minusSeconds(30), "svc-1");
        ServiceTraffic traffic = new ServiceTraffic();
        traffic.accept("service_requests_per_second", Map.of("service", "shop", "agent", "a1"), NOW.toEpochMilli(), 8);
        traffic.accept(
                "service_responses_per_second",
                Map.of("service", "shop", "agent", "a1", "status", "5xx"),
                NOW.toEpochMilli(),
                2);
        traffic.accept(
                "service_requests_per_second",
                Map.of("service", "old", "agent", "a1"),
                NOW.toEpochMilli() - 600_000,
                8);
        assertTrue(traffic.rate("old", NOW.toEpochMilli()).isEmpty(), "too old");
        MonitorRunner.ReportContext ctx = new MonitorRunner.ReportContext(
                Map.of("a1", "web-1", "a2", "web-2"),
                "shop",
                traffic.rate("shop", NOW.toEpochMilli()).orElseThrow());
        AlertEvent e = MonitorRunner.alert(
                new Transition(id, "shop", "https://shop.test/", MonitorState.DEGRADED, MonitorState.DOWN, b, report),
                ctx);
        Map<String, Object> p = e.toProperties();
        assertEquals("""
                Monitor shop (https://shop.test/) is DOWN: timeout — timed out after 5000 ms (agent a2)
                Failing since 2026-12-04T17:59:40Z from 2 of 3 agents
                  web-1: connect — Connection refused
                  web-2: timeout — timed out after 5000 ms
                Last success: 2026-12-04T17:59:30Z
                Service shop: 25.0% 5xx of 8.00 req/s (last reports)""", p.get(AlertEvent.MESSAGE));
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) p.get(AlertEvent.LABELS);
        assertEquals("web-1, web-2", labels.get("failingAgents"));
        assertEquals("2026-12-04T17:59:40Z", labels.get("since"));
        assertEquals("25.0", labels.get("service5xxPercent"));
        assertEquals("shop", labels.get("service"));
    }

    @Test
    void theDownReportQuotesTheServiceErrorLog() {
        ProbeResult b = new ProbeResult("a2", NOW, false, 502, 5, "status", "unexpected status 502", null, null);
        DownReport report = new DownReport(java.util.List.of(b), 1, NOW.minusSeconds(20), null, "svc-1");
        Transition t = new Transition(
                UUID.randomUUID(), "shop", "https://shop.test/", MonitorState.UP, MonitorState.DOWN, b, report);
        com.fasterxml.jackson.databind.node.ObjectNode answer =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode lines = answer.putArray("lines");
        for (int n = 1; n <= 7; n++) {
            lines.addObject()
                    .put("timestamp", NOW.toString())
                    .put("stream", "error")
                    .put("text", "line " + n + (n == 7 ? " " + "x".repeat(400) : "") + "\n");
        }
        dev.fleetgate.api.TaskView done = new dev.fleetgate.api.TaskView(
                "t1",
                "a2",
                "logs.nginx",
                null,
                TaskStatus.SUCCEEDED,
                answer,
                null,
                1,
                NOW,
                NOW,
                NOW,
                NOW.plusSeconds(30));
        MonitorRunner.ErrorLog log = MonitorRunner.errorLog("web-2", "shop.test", done, null);
        assertEquals(5, log.lines().size(), "the last 5 lines");
        assertEquals("line 3", log.lines().get(0));
        assertEquals(301, log.lines().get(4).length(), "a long line is cut");
        MonitorRunner.ReportContext ctx = new MonitorRunner.ReportContext(
                Map.of("a2", "web-2"),
                "shop",
                null,
                "shop.test",
                new MonitorRunner.ErrorLog("web-2", "shop.test", java.util.List.of("l1", "l2"), null));
        Map<String, Object> p = MonitorRunner.alert(t, ctx).toProperties();
        assertTrue(
                p.get(AlertEvent.MESSAGE).toString().endsWith("""
                Service shop: no recent traffic reported
                Error log (web-2, last lines with shop.test):
                  l1
                  l2"""),
                p.get(AlertEvent.MESSAGE).toString());
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) p.get(AlertEvent.LABELS);
        assertEquals("2", labels.get("errorLogLines"));

        dev.fleetgate.api.TaskView pending = new dev.fleetgate.api.TaskView(
                "t1",
                "a2",
                "logs.nginx",
                null,
                TaskStatus.PENDING,
                null,
                null,
                0,
                NOW,
                null,
                null,
                NOW.plusSeconds(30));
        assertEquals(
                "no answer within 3 s",
                MonitorRunner.errorLog("web-2", "shop.test", pending, null).problem());
        dev.fleetgate.api.TaskView failed = new dev.fleetgate.api.TaskView(
                "t1",
                "a2",
                "logs.nginx",
                null,
                TaskStatus.FAILED,
                null,
                "no handler for logs.nginx",
                1,
                NOW,
                NOW,
                NOW,
                NOW.plusSeconds(30));
        MonitorRunner.ErrorLog notRead = MonitorRunner.errorLog("web-2", "shop.test", failed, null);
        assertEquals("not read: no handler for logs.nginx", notRead.problem());
        assertTrue(MonitorRunner.alert(t, ctx.with(notRead))
                .toProperties()
                .get(AlertEvent.MESSAGE)
                .toString()
                .endsWith("\nError log (web-2): not read: no handler for logs.nginx"));
        MonitorRunner.ErrorLog none = MonitorRunner.errorLog(
                "web-2",
                "shop.test",
                new dev.fleetgate.api.TaskView(
                        "t1",
                        "a2",
                        "logs.nginx",
                        null,
                        TaskStatus.SUCCEEDED,
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                .objectNode()
                                .set("lines", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()),
                        null,
                        1,
                        NOW,
                        NOW,
                        NOW,
                        NOW.plusSeconds(30)),
                null);
        assertTrue(MonitorRunner.alert(t, ctx.with(none))
                .toProperties()
                .get(AlertEvent.MESSAGE)
                .toString()
                .endsWith("\nError log (web-2): no recent lines with shop.test"));
    }
}

package dev.fleetgate.alerts.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.AlertsRuntime;
import dev.fleetgate.alerts.internal.AlertsTesting;
import dev.fleetgate.alerts.internal.ChannelService;
import dev.fleetgate.alerts.internal.Json;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.security.SecretBox;

/** The REST resources on PostgreSQL: shapes, validation with field errors, secrets write-only. */
class AlertsResourceIT {
    private static TestDatabase db;
    private static DataSource ds;
    private static AlertsRuntime runtime;
    private static AlertsResource alerts;
    private static IncidentsResource incidents;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabase.create();
        ds = db.dataSource();
        AlertsTesting.migrate(ds);
        AlertStore store = AlertStore.of(ds);
        SecretBox box = AlertsTesting.secretBox();
        runtime = AlertsTesting.runtime(store, box, Map.of());
        alerts = new AlertsResource(store, new ChannelService(store, runtime, box), runtime);
        incidents = new IncidentsResource(store);
    }

    @AfterAll
    static void tearDown() {
        AlertsTesting.stop(runtime);
        db.close();
    }

    private static UriInfo uri(String path) {
        UriInfo u = Mockito.mock(UriInfo.class);
        Mockito.when(u.getAbsolutePathBuilder())
                .thenAnswer(x -> UriBuilder.fromUri(URI.create("http://core/api/v1/" + path)));
        return u;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static Set<String> fields(Executable call) {
        ApiException e = assertThrows(ApiException.class, call::execute);
        assertEquals(400, e.status(), e.getMessage());
        return new TreeSet<>(e.errors().stream().map(FieldError::field).toList());
    }

    @FunctionalInterface
    interface Executable {
        void execute() throws Exception;
    }

    @Test
    void channelSecretsAreWriteOnly() throws Exception {
        Response r = alerts.createChannel(json("""
                {"name":"ops telegram","type":"telegram","settings":{"botToken":"123:SECRET-token","chatId":"-42"}}
                """), uri("alerts/channels"));
        assertEquals(201, r.getStatus());
        ObjectNode ch = (ObjectNode) r.getEntity();
        assertEquals("********", ch.path("settings").path("botToken").asText());
        assertEquals("-42", ch.path("settings").path("chatId").asText());
        String id = ch.path("id").asText();
        assertFalse(Json.write(alerts.listChannels()).contains("SECRET"));
        try (var c = ds.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT settings::text || secrets::text FROM alert_channel")) {
            while (rs.next()) {
                assertFalse(rs.getString(1).contains("SECRET-token"), "sealed at rest");
            }
        }
        // sending the mask back keeps the secret; a new chat id is taken
        ObjectNode updated = alerts.updateChannel(id, json("""
                {"name":"ops telegram","settings":{"botToken":"********","chatId":"-43"}}"""));
        assertEquals("********", updated.path("settings").path("botToken").asText());
        assertEquals("-43", updated.path("settings").path("chatId").asText());
        assertEquals(Set.of("type"), fields(() -> alerts.updateChannel(id, json("""
                {"name":"x","type":"webhook","settings":{"chatId":"1"}}"""))));
    }

    @Test
    void aChannelWhoseTypeIsGoneIsNotChangedBlindly() throws Exception {
        String id = ((ObjectNode) alerts.createChannel(json("""
                {"name":"gone","type":"webhook","settings":{"url":"http://127.0.0.1:9/","secret":"k"}}"""), uri("c")).getEntity())
                .path("id")
                .asText();
        dev.fleetgate.alerts.NotificationChannel webhook = runtime.channel("webhook");
        runtime.unbindChannel(webhook);
        try {
            assertEquals(
                    503,
                    assertThrows(ApiException.class, () -> alerts.updateChannel(id, json("""
                    {"name":"gone","settings":{"url":"http://127.0.0.1:9/"}}""")))
                            .status());
        } finally {
            runtime.bindChannel(webhook);
        }
        assertEquals(
                "********",
                alerts.getChannel(id).path("settings").path("secret").asText(),
                "secret kept");
    }

    @Test
    void channelValidation() {
        assertEquals(
                Set.of("name", "settings.botToken", "settings.chatId", "settings.apiBaseUrl", "settings.color"),
                fields(() -> alerts.createChannel(json("""
                        {"type":"telegram","settings":{"botToken":"nope","apiBaseUrl":"ftp://x","color":1}}"""), uri("c"))));
        assertEquals(Set.of("type"), fields(() -> alerts.createChannel(json("""
                {"name":"a","type":"pager","settings":{}}"""), uri("c"))));
        assertEquals(Set.of("settings.url"), fields(() -> alerts.createChannel(json("""
                {"name":"a","type":"webhook","settings":{"url":"not a url"}}"""), uri("c"))));
        assertEquals(Set.of("name"), fields(() -> alerts.createChannel(json("""
                {"name":"a\\u0000b","type":"webhook","settings":{"url":"http://127.0.0.1/"}}"""), uri("c"))));
        assertEquals(Set.of("ratePerMinute"), fields(() -> alerts.createChannel(json("""
                {"name":"a","type":"webhook","ratePerMinute":"10","settings":{"url":"http://127.0.0.1/"}}"""), uri("c"))));
        assertEquals(Set.of(""), fields(() -> alerts.createChannel(json("[1]"), uri("c"))));
    }

    @Test
    void ruleCrudAndValidation() throws Exception {
        Response r = alerts.createRule(json("""
                {"name":"load","metric":"host_load1","labels":{"agent":"a1"},"aggregate":"avg","windowSeconds":60,
                 "op":">","threshold":4,"clearThreshold":3,"forSeconds":120,"clearForSeconds":60}"""), uri("alerts/rules"));
        assertEquals(201, r.getStatus());
        ObjectNode rule = (ObjectNode) r.getEntity();
        String id = rule.path("id").asText();
        assertEquals("avg", rule.path("aggregate").asText());
        assertEquals(Map.of("agent", "a1"), Json.MAPPER.convertValue(rule.path("labels"), Map.class));
        assertEquals(4.0, alerts.getRule(id).path("threshold").asDouble());
        ObjectNode changed = alerts.updateRule(id, json("""
                {"name":"load","metric":"host_load1","op":">=","threshold":8}"""));
        assertEquals(">=", changed.path("op").asText());
        assertEquals(0, changed.path("forSeconds").asInt());
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> alerts.createRule(json("""
                {"name":"load","metric":"m","op":">","threshold":1}"""), uri("r")))
                        .status());
        assertEquals(Set.of("op", "threshold"), fields(() -> alerts.createRule(json("""
                {"name":"x","metric":"m"}"""), uri("r"))));
        assertEquals(
                Set.of("metric", "labels.bad-name", "windowSeconds", "clearThreshold", "forSeconds"),
                fields(() -> alerts.createRule(json("""
                        {"name":"x","metric":"1bad","labels":{"bad-name":"v"},"aggregate":"max","windowSeconds":0,
                         "op":">","threshold":5,"clearThreshold":6,"forSeconds":-1}"""), uri("r"))));
        assertEquals(Set.of("channelIds[0]"), fields(() -> alerts.createRule(json("""
                {"name":"y","metric":"m","op":">","threshold":1,"channelIds":["6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a9999"]}"""), uri("r"))));
        assertEquals(Set.of("eventKind"), fields(() -> alerts.createRule(json("""
                {"name":"y","kind":"event","eventKind":"Agent Offline!"}"""), uri("r"))));
        assertEquals(Set.of("clearForSeconds"), fields(() -> alerts.createRule(json("""
                {"name":"y","kind":"event","eventKind":"agent.offline","forSeconds":60,"clearForSeconds":60}"""), uri("r"))));
        assertEquals(Set.of("threshold"), fields(() -> alerts.createRule(json("""
                {"name":"y","metric":"m","op":">","threshold":"1e999"}"""), uri("r"))));
        assertEquals(Set.of("id"), fields(() -> alerts.getRule("../../etc")));
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> alerts.getRule("6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a9999"))
                        .status());
        assertEquals(204, alerts.deleteRule(id).getStatus());
        assertTrue(
                alerts.listRules().stream()
                        .anyMatch(x -> x.path("builtin").asBoolean()
                                && "host_cpu_usage_percent"
                                        .equals(x.path("metric").asText())),
                "built-in rules are there");
    }

    @Test
    void templatesAreCheckedBeforeTheyAreStored() throws Exception {
        assertEquals(Set.of("body"), fields(() -> alerts.putTemplate(json("""
                {"kind":"*","channelType":"telegram","event":"opened","body":"{{#rule}} unclosed"}"""))));
        assertEquals(Set.of("body"), fields(() -> alerts.putTemplate(json("""
                {"kind":"*","channelType":"telegram","event":"opened","body":"{{> /etc/passwd}}"}"""))));
        assertEquals(Set.of("channelType", "event", "kind"), fields(() -> alerts.putTemplate(json("""
                {"kind":"NOT OK","channelType":"fax","event":"closed","body":"x"}"""))));
        ObjectNode ok = alerts.putTemplate(json("""
                {"kind":"metric","channelType":"telegram","event":"opened","body":"ALERT {{rule}} on {{subject}} = {{value}}"}"""));
        assertEquals(
                "ALERT CPU above 85% on agent=web-1 = 91.50", ok.path("preview").asText());
        ObjectNode preview = alerts.preview(json("""
                {"kind":"metric","channelType":"telegram","event":"opened"}"""));
        assertEquals(
                "ALERT CPU above 85% on agent=web-1 = 91.50",
                preview.path("text").asText(), "the stored one");
        ObjectNode adhoc = alerts.preview(json("""
                {"channelType":"email","event":"resolved","body":"{{rule}} ok after {{duration}}\\nline 2"}"""));
        assertEquals("CPU above 85% ok after 5m", adhoc.path("title").asText());
        assertTrue(alerts.listTemplates().path("variables").has("duration"));
        assertEquals(204, alerts.deleteTemplate("metric", "telegram", "opened").getStatus());
        assertTrue(alerts.preview(json("{\"event\":\"opened\"}"))
                .path("text")
                .asText()
                .startsWith("[WARNING]"));
    }

    @Test
    void silencesAndIncidentFilters() throws Exception {
        assertEquals(
                Set.of("subject"),
                fields(() -> alerts.createSilence(json("{\"durationSeconds\":600}"), uri("s"), null)));
        assertEquals(Set.of("until"), fields(() -> alerts.createSilence(json("""
                {"subject":"agent=*","until":"2001-01-01T00:00:00Z"}"""), uri("s"), null)));
        assertEquals(Set.of("durationSeconds"), fields(() -> alerts.createSilence(json("""
                {"subject":"agent=*","durationSeconds":5}"""), uri("s"), null)));
        Response s = alerts.createSilence(
                json("{\"subject\":\"agent=web-*\",\"durationSeconds\":600,\"comment\":\"deploy\"}"),
                uri("alerts/silences"),
                null);
        assertEquals(201, s.getStatus());
        assertEquals(1, alerts.listSilences(false).size());
        assertEquals(Set.of("state"), fields(() -> incidents.list("closed", null, null, null, null)));
        assertEquals(Set.of("severity"), fields(() -> incidents.list(null, "fatal", null, null, null)));
        assertEquals(Set.of("limit"), fields(() -> incidents.list(null, null, null, null, "0")));
        assertEquals(List.of(), incidents.list("open", "critical", "web", null, "10"));
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> incidents.ack("6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a9999", null))
                        .status());
    }
}

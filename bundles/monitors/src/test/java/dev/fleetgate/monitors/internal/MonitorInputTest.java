package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

class MonitorInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MonitorInput parse(String json) throws Exception {
        return MonitorInput.parse(JSON.readTree(json));
    }

    private static List<String> fields(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(400, e.status());
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void defaults() throws Exception {
        MonitorInput in = parse("{\"name\":\" shop \",\"type\":\"http\",\"target\":\"https://shop.example.test/\","
                + "\"agentIds\":[\"a1\",\"a1\",\"a2\"]}");
        assertEquals("shop", in.name());
        assertEquals(60, in.intervalSeconds());
        assertEquals(2, in.confirmations());
        assertTrue(in.followRedirects());
        assertEquals(List.of("a1", "a2"), in.agentIds());
        assertEquals(0, in.expect().get("statuses").size());
    }

    @Test
    void fullDefinition() throws Exception {
        MonitorInput in = parse("{\"name\":\"tls\",\"type\":\"TLS\",\"target\":\"shop.example.test:8443\","
                + "\"intervalSeconds\":10,\"agentIds\":[\"a\"],\"expect\":{\"statuses\":[200,204],"
                + "\"maxLatencyMs\":500,\"bodyContains\":\"ok\",\"minDaysLeft\":7},\"followRedirects\":false,"
                + "\"confirmations\":3}");
        assertEquals("tls", in.type());
        assertEquals(7, in.expect().get("minDaysLeft").asInt());
        assertEquals(500, in.expect().get("maxLatencyMs").asInt());
        assertEquals("ok", in.expect().get("bodyContains").asText());
        assertEquals(3, in.confirmations());
    }

    @Test
    void everyBadFieldIsNamed() {
        assertEquals(List.of("name", "type", "target", "agentIds"), fields("{}"));
        assertEquals(
                List.of("intervalSeconds"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\","
                        + "\"agentIds\":[\"a\"],\"intervalSeconds\":9}"));
        assertEquals(
                List.of("intervalSeconds"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\","
                        + "\"agentIds\":[\"a\"],\"intervalSeconds\":86401}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"file:///etc/passwd\","
                        + "\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://u:p@x/\"," + "\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"n\",\"type\":\"tls\",\"target\":\"x:99999\"," + "\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"n\",\"type\":\"tls\",\"target\":\"https://x/\"," + "\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("type"), fields("{\"name\":\"n\",\"type\":\"ping\",\"target\":\"x\",\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("agentIds"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\"," + "\"agentIds\":[]}"));
        assertEquals(
                List.of("agentIds[1]"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\"," + "\"agentIds\":[\"a\",7]}"));
        assertEquals(
                List.of("expect.statuses[0]", "expect.maxLatencyMs", "expect.bodyContains"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\",\"agentIds\":[\"a\"],"
                        + "\"expect\":{\"statuses\":[99],\"maxLatencyMs\":0,\"bodyContains\":\"\"}}"));
        assertEquals(
                List.of("followRedirects", "confirmations", "timeoutMs"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\",\"agentIds\":[\"a\"],"
                        + "\"followRedirects\":\"yes\",\"confirmations\":0,\"timeoutMs\":1e9}"));
        assertEquals(
                List.of("name"),
                fields("{\"name\":\"a\\u0000b\",\"type\":\"http\",\"target\":\"http://x\"," + "\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("name"),
                fields("{\"name\":\"" + "n".repeat(101) + "\",\"type\":\"http\","
                        + "\"target\":\"http://x\",\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("body"), fields("[1]"));
        // PostgreSQL refuses U+0000 in jsonb: it must be a 400, never a 500
        assertEquals(
                List.of("expect.bodyContains"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":"
                        + "\"http://x\",\"agentIds\":[\"a\"],\"expect\":{\"bodyContains\":\"a\\u0000\"}}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":" + "\"http://x/\\u0000\",\"agentIds\":[\"a\"]}"));
    }

    @Test
    void dnsAndJsonMonitors() throws Exception {
        MonitorInput dns = parse(
                "{\"name\":\"d\",\"type\":\"dns\",\"target\":\"www.example.test\",\"recordType\":\"mx\","
                        + "\"resolver\":\"127.0.0.1:5353\",\"expect\":{\"values\":[\"10 mail.example.test.\"]},\"agentIds\":[\"a\"]}");
        assertEquals("MX", dns.options().get("recordType").asText());
        assertEquals("127.0.0.1:5353", dns.options().get("resolver").asText());
        assertEquals("10 mail.example.test.", dns.expect().get("values").get(0).asText());
        assertEquals(
                "A",
                parse("{\"name\":\"d\",\"type\":\"dns\",\"target\":\"example.test\",\"agentIds\":[\"a\"]}")
                        .options()
                        .get("recordType")
                        .asText());
        MonitorInput json = parse("{\"name\":\"j\",\"type\":\"json\",\"target\":\"http://10.0.0.5:9100/status\","
                + "\"headers\":{\"Authorization\":\"Bearer x\"},\"agentIds\":[\"a\"]}");
        assertEquals(
                "Bearer x", json.options().get("headers").get("Authorization").asText());

        assertEquals(
                List.of("target", "recordType", "resolver"),
                fields(
                        "{\"name\":\"d\",\"type\":\"dns\","
                                + "\"target\":\"http://x/\",\"recordType\":\"ANY\",\"resolver\":\"a b\",\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("expect.values[0]"),
                fields("{\"name\":\"d\",\"type\":\"dns\",\"target\":\"x.test\","
                        + "\"expect\":{\"values\":[7]},\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("recordType", "headers"),
                fields("{\"name\":\"h\",\"type\":\"tls\",\"target\":\"x.test\","
                        + "\"recordType\":\"A\",\"headers\":{},\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("headers.Host", "headers.X-A"),
                fields(
                        "{\"name\":\"h\",\"type\":\"http\","
                                + "\"target\":\"http://x/\",\"headers\":{\"Host\":\"y\",\"X-A\":\"a\\r\\nb\"},\"agentIds\":[\"a\"]}"));
    }

    @Test
    void confirmationFromKAgentsAndServiceAttachment() throws Exception {
        MonitorInput k = parse("{\"name\":\"k\",\"type\":\"http\",\"target\":\"http://x/\",\"agentIds\":[\"a\",\"b\"],"
                + "\"confirmAgents\":2}");
        assertEquals(2, k.confirmAgents());
        assertEquals(
                List.of("confirmAgents"),
                fields("{\"name\":\"k\",\"type\":\"http\",\"target\":\"http://x/\","
                        + "\"agentIds\":[\"a\"],\"confirmAgents\":2}"));
        String service = "0b6f7c2e-1d2a-4e1b-9a55-3c1f2a0b9d10";
        MonitorInput attached =
                parse("{\"name\":\"s\",\"type\":\"http\",\"serviceId\":\"" + service + "\"," + "\"agentIds\":[\"a\"]}");
        assertEquals(service, attached.serviceId());
        assertEquals("/", attached.target());
        assertEquals(
                "/health",
                parse("{\"name\":\"s\",\"type\":\"http\",\"serviceId\":\"" + service + "\","
                                + "\"target\":\"/health\",\"agentIds\":[\"a\"]}")
                        .target());
        assertEquals(
                List.of("serviceId"),
                fields("{\"name\":\"s\",\"type\":\"http\",\"serviceId\":\"shop\"," + "\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"s\",\"type\":\"http\",\"serviceId\":\"" + service
                        + "\",\"target\":\"https://other/\",\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("target"),
                fields("{\"name\":\"s\",\"type\":\"dns\",\"serviceId\":\"" + service
                        + "\",\"target\":\"x.test\",\"agentIds\":[\"a\"]}"));
        assertEquals(
                service,
                parse("{\"name\":\"s\",\"type\":\"http\",\"serviceId\":\"" + service.toUpperCase()
                                + "\",\"agentIds\":[\"a\"]}")
                        .serviceId(),
                "canonical lower case");
        assertEquals(
                List.of("serviceId", "target"),
                fields("{\"name\":\"s\",\"type\":\"http\",\"serviceId\":5," + "\"target\":\"\",\"agentIds\":[\"a\"]}"));
        assertEquals(
                List.of("name", "type", "agentIds", "expect"),
                fields("{\"name\":\"  \",\"type\":[]," + "\"target\":\"http://x/\",\"agentIds\":[],\"expect\":[]}"));
    }

    @Test
    void theMinimumIntervalIsConfigurable() throws Exception {
        String body = "{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\",\"agentIds\":[\"a\"],"
                + "\"intervalSeconds\":2}";
        assertEquals(2, MonitorInput.parse(JSON.readTree(body), 1).intervalSeconds());
        ApiException e = assertThrows(ApiException.class, () -> MonitorInput.parse(JSON.readTree(body), 5));
        assertEquals(List.of(new FieldError("intervalSeconds", "must be an integer from 5 to 86400")), e.errors());
        ApiException type = assertThrows(
                ApiException.class, () -> MonitorInput.parse(JSON.readTree(body.replace("2}", "\"2\"}")), 5));
        assertEquals(List.of(new FieldError("intervalSeconds", "must be an integer from 5 to 86400")), type.errors());
        assertEquals(1, MonitorService.minInterval(1));
        assertEquals(3600, MonitorService.minInterval(3600));
        assertEquals(10, MonitorService.minInterval(0), "out of range: the default");
        assertEquals(10, MonitorService.minInterval(3601), "out of range: the default");
    }
}

package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.persistence.testing.TestDatabase;

import jakarta.mail.internet.MimeMessage;

/**
 * Module 8 end to end: two core distributions on one database (same keys, as cores sharing a
 * database are configured) and a real agent syncing with the first; a rule (created on the second
 * core) on the agent's real {@code host_cpu_usage_percent} opens one incident (not one per sample)
 * and sends exactly one message to a fake Telegram Bot API (JDK HttpServer speaking
 * {@code sendMessage}) and one e-mail to a real SMTP server (GreenMail), though both cores
 * evaluate and send; a restart of the first core sends nothing again; when the condition clears,
 * one "resolved" message follows on each. Then a service behind the agent's real nginx answers
 * 500: a rule on the agent's {@code service_5xx_ratio_percent} sends one message, and one
 * "resolved" message once it answers 200 again. Needs PostgreSQL and nginx. Ports 20410–20419
 * (first core, agent's nginx), 20660–20665 (second core, the service's upstream). Both cores send the agent a
 * {@value #METRICS_INTERVAL} s collection interval (10 s by default) and evaluate the rules every
 * {@value #EVALUATION_INTERVAL} s (5 s by default); "nothing else is sent" is watched for {@value #QUIET_SECONDS} s,
 * four collection intervals and eight evaluations.
 * Keeps its cores of its own (not the shared {@link Fleet}): it restarts the first core and runs a second one beside
 * it on the same database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsE2EIT {
    private static final int CORE_PORTS = 20410;
    private static final int PROXY_HTTP = 20415;
    private static final int PROXY_HTTPS = 20416;
    private static final int PROXY_ADMIN = 20417;
    private static final int SECOND_CORE_PORTS = 20660;
    private static final int UPSTREAM = 20665;
    private static final String ERRORS_HOST = "errors.alerts.test";
    private static final String TOKEN = "424242:E2E-token";
    private static final String CHAT = "-1001";
    private static final int METRICS_INTERVAL = 2;
    private static final int EVALUATION_INTERVAL = 1;
    private static final int QUIET_SECONDS = 4 * METRICS_INTERVAL;

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private CoreProcess second;
    private Api secondAdmin;
    private HttpServer upstream;
    private AgentProcess agent;
    private Api admin;
    private String agentId;
    private HttpServer telegram;
    private GreenMail smtp;
    private final List<JsonNode> telegramMessages = new CopyOnWriteArrayList<>();
    private String ruleId;
    private long ruleCreatedAt;

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("alerts-" + System.currentTimeMillis());
        Files.createDirectories(work);
        telegram = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        telegram.createContext("/", this::sendMessage);
        telegram.start();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@fleet.test", "alerts", "smtp-pw"));
        smtp.start();

        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE_PORTS, db, Map.of("syncIntervalSeconds", "5"));
        shortIntervals(core);
        core.start();
        admin = core.admin();
        second = CoreProcess.installBeside(
                core, work.resolve("second"), SECOND_CORE_PORTS, db, Map.of("syncIntervalSeconds", "5"));
        shortIntervals(second);
        second.start();
        secondAdmin = second.admin();
        agent = new AgentProcess(work).proxyPorts(PROXY_HTTP, PROXY_HTTPS, PROXY_ADMIN);
        agentId = agent.enrol(admin, core.url(), "alerts-e2e", Duration.ofSeconds(60));
    }

    private static void shortIntervals(CoreProcess c) throws IOException {
        c.configure("dev.fleetgate.metrics", Map.of("intervalSeconds", String.valueOf(METRICS_INTERVAL)));
        c.configure("dev.fleetgate.alerts", Map.of("evaluationIntervalSeconds", String.valueOf(EVALUATION_INTERVAL)));
    }

    /** Watches for what must not come: no message, no second incident. */
    private static void quiet() throws InterruptedException {
        Thread.sleep(QUIET_SECONDS * 1000L);
    }

    /** The Bot API's sendMessage, as api.telegram.org answers it. */
    private void sendMessage(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String answer;
        int status;
        if (!ex.getRequestURI().getPath().equals("/bot" + TOKEN + "/sendMessage")) {
            status = 401;
            answer = "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}";
        } else {
            JsonNode req = Api.JSON.readTree(body);
            if (!CHAT.equals(req.path("chat_id").asText())) {
                status = 400;
                answer = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}";
            } else {
                telegramMessages.add(req);
                status = 200;
                answer = "{\"ok\":true,\"result\":{\"message_id\":" + telegramMessages.size() + ",\"chat\":{\"id\":"
                        + CHAT + ",\"type\":\"group\"},\"date\":" + System.currentTimeMillis() / 1000 + "}}";
            }
        }
        byte[] b = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @AfterAll
    void stop() {
        if (second != null) {
            second.close();
        }
        Processes.stopAll(agent, core, db);
        if (upstream != null) {
            upstream.stop(0);
        }
        if (telegram != null) {
            telegram.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    private List<JsonNode> telegram(String needle) {
        return telegramMessages.stream()
                .filter(m -> m.path("text").asText().contains(needle))
                .toList();
    }

    private List<String> mails() throws Exception {
        List<String> subjects = new java.util.ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        return subjects;
    }

    @Test
    @Order(1)
    void aRuleOnARealMetricSendsOneTelegramAndOneEmail() throws Exception {
        String tg = admin.post(
                        "/api/v1/alerts/channels",
                        Map.of(
                                "name",
                                "ops telegram",
                                "type",
                                "telegram",
                                "settings",
                                Map.of(
                                        "botToken",
                                        TOKEN,
                                        "chatId",
                                        CHAT,
                                        "apiBaseUrl",
                                        "http://127.0.0.1:"
                                                + telegram.getAddress().getPort())))
                .expect(201)
                .body()
                .get("id")
                .asText();
        String mail = admin.post(
                        "/api/v1/alerts/channels",
                        Map.of(
                                "name",
                                "ops mail",
                                "type",
                                "email",
                                "settings",
                                Map.of(
                                        "to",
                                        List.of("ops@fleet.test"),
                                        "from",
                                        "alerts@fleet.test",
                                        "host",
                                        "127.0.0.1",
                                        "port",
                                        smtp.getSmtp().getPort(),
                                        "username",
                                        "alerts",
                                        "password",
                                        "smtp-pw")))
                .expect(201)
                .body()
                .get("id")
                .asText();
        JsonNode listed = admin.get("/api/v1/alerts/channels").expect(200).body();
        assertTrue(
                listed.toString().contains("********")
                        && !listed.toString().contains("E2E-token")
                        && !listed.toString().contains("smtp-pw"),
                "secrets are write-only: " + listed);
        assertTrue(
                admin.post("/api/v1/alerts/channels/" + tg + "/test", Map.of())
                        .expect(200)
                        .body()
                        .path("ok")
                        .asBoolean(),
                "test message");
        Processes.await(
                "the test message",
                Duration.ofSeconds(10),
                () -> telegram("[TEST]").size() == 1);

        ruleCreatedAt = System.currentTimeMillis();
        ruleId = secondAdmin
                .post(
                        "/api/v1/alerts/rules",
                        Map.of(
                                "name",
                                "E2E CPU",
                                "metric",
                                "host_cpu_usage_percent",
                                "labels",
                                Map.of("cpu", "total", "agent", agentId),
                                "op",
                                ">=",
                                "threshold",
                                0,
                                "forSeconds",
                                0,
                                "channelIds",
                                List.of(tg, mail)))
                .expect(201)
                .body()
                .get("id")
                .asText();
        Processes.await(
                "one Telegram message and one e-mail",
                Duration.ofSeconds(90),
                () -> telegram("E2E CPU").size() == 1 && smtp.getReceivedMessages().length == 1);
        long latency = System.currentTimeMillis() - ruleCreatedAt;
        System.out.println("[alerts-e2e] rule created -> Telegram + e-mail received: " + latency + " ms");
        // more metric intervals and evaluations: still one incident, one message each
        quiet();
        assertEquals(1, telegram("E2E CPU").size(), "not one message per sample");
        assertEquals(1, smtp.getReceivedMessages().length);
        assertTrue(mails().get(0).startsWith("[WARNING] E2E CPU: agent=" + agentId), mails().get(0));
        JsonNode open = admin.get("/api/v1/incidents?state=open&ruleId=" + ruleId)
                .expect(200)
                .body();
        assertEquals(1, open.size(), open.toString());
        assertEquals(
                open,
                secondAdmin
                        .get("/api/v1/incidents?state=open&ruleId=" + ruleId)
                        .expect(200)
                        .body(),
                "both cores show the same incident");
        assertEquals(
                "agent=" + agentId + ",cpu=total", open.get(0).path("subject").asText());
    }

    @Test
    @Order(2)
    void aCoreRestartSendsNothingAgain() throws Exception {
        core.stop();
        core.start();
        admin = core.admin(); // the alerts module of the restarted core is mounted
        quiet();
        assertEquals(
                1,
                secondAdmin
                        .get("/api/v1/incidents?ruleId=" + ruleId)
                        .expect(200)
                        .body()
                        .size());
        assertEquals(1, telegram("E2E CPU").size());
        assertEquals(1, smtp.getReceivedMessages().length);
        assertEquals(
                1,
                admin.get("/api/v1/incidents?ruleId=" + ruleId)
                        .expect(200)
                        .body()
                        .size());
    }

    @Test
    @Order(3)
    void whenItClearsOneResolvedMessageFollows() throws Exception {
        secondAdmin
                .put(
                        "/api/v1/alerts/rules/" + ruleId,
                        Map.of(
                                "name",
                                "E2E CPU",
                                "metric",
                                "host_cpu_usage_percent",
                                "labels",
                                Map.of("cpu", "total", "agent", agentId),
                                "op",
                                ">=",
                                "threshold",
                                1000,
                                "forSeconds",
                                0,
                                "channelIds",
                                admin.get("/api/v1/alerts/rules/" + ruleId)
                                        .expect(200)
                                        .body()
                                        .get("channelIds")))
                .expect(200);
        Processes.await(
                "one resolved message on each channel",
                Duration.ofSeconds(90),
                () -> telegram("[RESOLVED] E2E CPU").size() == 1 && smtp.getReceivedMessages().length == 2);
        quiet();
        assertEquals(2, telegram("E2E CPU").size(), "opened + resolved, nothing else");
        assertEquals(2, smtp.getReceivedMessages().length);
        assertTrue(mails().get(1).startsWith("[RESOLVED] E2E CPU"), mails().get(1));
        JsonNode incident =
                admin.get("/api/v1/incidents?ruleId=" + ruleId).expect(200).body();
        assertEquals(1, incident.size());
        assertEquals("RESOLVED", incident.get(0).path("state").asText());
        JsonNode detail = admin.get(
                        "/api/v1/incidents/" + incident.get(0).path("id").asText())
                .expect(200)
                .body();
        assertEquals(4, detail.path("deliveries").size(), detail.toString());
        for (JsonNode d : detail.path("deliveries")) {
            assertEquals("SENT", d.path("state").asText(), d.toString());
        }
    }

    @Test
    @Order(4)
    void aServiceAnswering5xxThroughNginxSendsOneMessageAndOneResolved() throws Exception {
        AtomicInteger answer = new AtomicInteger(500);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", UPSTREAM), 64);
        upstream.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            int status = ex.getRequestURI().getPath().equals("/health") ? 200 : answer.get();
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        upstream.start();
        String serviceId = admin.post(
                        "/api/v1/services",
                        Map.of(
                                "name",
                                "errors",
                                "domains",
                                List.of(ERRORS_HOST),
                                "agentIds",
                                List.of(agentId),
                                "upstream",
                                Map.of("targets", List.of(Map.of("host", "127.0.0.1", "port", UPSTREAM, "weight", 1)))))
                .expect(201)
                .body()
                .get("id")
                .asText();
        Processes.await(
                "nginx routes " + ERRORS_HOST + " to the upstream (agent log " + agent.log() + ")",
                Duration.ofSeconds(60),
                () -> statusThroughNginx() == 500);
        String tg = null;
        for (JsonNode c : admin.get("/api/v1/alerts/channels").expect(200).body()) {
            if (c.path("name").asText().equals("ops telegram")) {
                tg = c.path("id").asText();
            }
        }
        secondAdmin
                .post(
                        "/api/v1/alerts/rules",
                        Map.of(
                                "name",
                                "E2E 5xx",
                                "metric",
                                "service_5xx_ratio_percent",
                                "labels",
                                Map.of("service", serviceId),
                                "op",
                                ">",
                                "threshold",
                                5,
                                "channelIds",
                                List.of(tg)))
                .expect(201);
        // traffic through the agent's nginx, as clients would send it
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread traffic = new Thread(
                () -> {
                    while (sending.get()) {
                        statusThroughNginx();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "alerts-e2e-traffic");
        traffic.start();
        try {
            Processes.await(
                    "one Telegram message for the 5xx rule",
                    Duration.ofSeconds(90),
                    () -> telegram("E2E 5xx").size() == 1);
            assertTrue(
                    telegram("E2E 5xx").get(0).path("text").asText().contains("service=" + serviceId),
                    telegram("E2E 5xx").toString());
            JsonNode perCode = admin.get("/api/v1/metrics/query?name=service_responses_by_code_per_second&from="
                            + (System.currentTimeMillis() - 120_000) + "&to=" + (System.currentTimeMillis() + 1_000)
                            + "&step=10s&service=" + serviceId + "&code=500")
                    .expect(200)
                    .body()
                    .path("series");
            assertEquals(1, perCode.size(), "the per-code series of status 500: " + perCode);
            answer.set(200);
            Processes.await(
                    "one resolved Telegram message for the 5xx rule",
                    Duration.ofSeconds(90),
                    () -> telegram("[RESOLVED] E2E 5xx").size() == 1);
            quiet();
            assertEquals(2, telegram("E2E 5xx").size(), "opened + resolved, nothing else: " + telegram("E2E 5xx"));
        } finally {
            sending.set(false);
            traffic.join(5_000);
        }
        admin.delete("/api/v1/services/" + serviceId).expect(204);
    }

    /** A GET through the agent's nginx with the service's Host (java.net.http refuses to set Host); -1 on failure. */
    private static int statusThroughNginx() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PROXY_HTTP), 2000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(("GET /shop HTTP/1.0\r\nHost: " + ERRORS_HOST + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String head = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.split(" ", 3)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

package dev.fleetgate.agent.probe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.Task;

/**
 * dns.probe against a real bind9 started by {@code scripts/bind9-test.sh} (port 21300, zone
 * {@code example.test}), records added with {@code nsupdate} and the script's TSIG key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsProbeHandlerIT {
    private static final int PORT = 21300;
    private static final Path SCRIPT =
            Path.of("../../scripts/bind9-test.sh").toAbsolutePath().normalize();
    private final ObjectMapper mapper = new ObjectMapper();
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("fleetgate-bind9-probe");
        run(SCRIPT.toString(), "start", dir.toString(), Integer.toString(PORT), "example.test");
        String updates = """
                server 127.0.0.1 %d
                zone example.test
                update add www.example.test. 60 A 127.0.0.10
                update add www.example.test. 60 A 127.0.0.11
                update add mail.example.test. 60 A 127.0.0.12
                update add example.test. 60 MX 10 mail.example.test.
                update add example.test. 60 TXT "v=spf1 -all"
                update add alias.example.test. 60 CNAME www.example.test.
                send
                """.formatted(PORT);
        Process p = new ProcessBuilder(
                        "nsupdate",
                        "-t",
                        "5",
                        "-k",
                        dir.resolve("fleetgate.key").toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(updates.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("nsupdate failed: " + out);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (dir != null) {
            run(SCRIPT.toString(), "stop", dir.toString());
        }
    }

    private JsonNode probe(String json) throws Exception {
        return new DnsProbeHandler().handle(new Task("t", "dns.probe", mapper.readTree(json)));
    }

    private String resolver() {
        return "\"resolver\":\"127.0.0.1:" + PORT + "\"";
    }

    @Test
    void matchesTheExpectedValuesOfEachType() throws Exception {
        JsonNode a = probe("{\"name\":\"www.example.test\",\"recordType\":\"A\",\"expectValues\":[\"127.0.0.11\"],"
                + resolver() + "}");
        assertTrue(a.get("ok").asBoolean(), a.toString());
        assertEquals("[\"127.0.0.10\",\"127.0.0.11\"]", a.get("values").toString());
        assertTrue(
                probe("{\"name\":\"example.test\",\"recordType\":\"MX\",\"expectValues\":[\"10 mail.example.test.\"],"
                                + resolver() + "}")
                        .get("ok")
                        .asBoolean());
        JsonNode txt = probe("{\"name\":\"example.test\",\"recordType\":\"TXT\",\"expectValues\":[\"v=spf1 -all\"],"
                + resolver() + "}");
        assertTrue(txt.get("ok").asBoolean(), txt.toString());
        assertTrue(probe("{\"name\":\"alias.example.test\",\"recordType\":\"CNAME\","
                        + "\"expectValues\":[\"WWW.example.test\"]," + resolver() + "}")
                .get("ok")
                .asBoolean());
        assertTrue(probe("{\"name\":\"example.test\",\"recordType\":\"NS\"," + resolver() + "}")
                .get("ok")
                .asBoolean());
    }

    @Test
    void aWrongValueIsAContentFailure() throws Exception {
        JsonNode r = probe("{\"name\":\"www.example.test\",\"expectValues\":[\"10.1.2.3\"]," + resolver() + "}");
        assertFalse(r.get("ok").asBoolean());
        assertEquals("content", r.get("errorKind").asText());
        assertTrue(r.get("error").asText().contains("10.1.2.3"), r.toString());
    }

    @Test
    void aMissingNameOrRecordIsADnsFailure() throws Exception {
        JsonNode none = probe("{\"name\":\"nope.example.test\"," + resolver() + "}");
        assertFalse(none.get("ok").asBoolean());
        assertEquals("dns", none.get("errorKind").asText(), none.toString());
        JsonNode noAaaa = probe("{\"name\":\"www.example.test\",\"recordType\":\"AAAA\"," + resolver() + "}");
        assertEquals("dns", noAaaa.get("errorKind").asText(), noAaaa.toString());
    }

    @Test
    void aSilentResolverTimesOut() throws Exception {
        // nothing listens on PORT + 1 over UDP: the query is never answered
        JsonNode r = probe(
                "{\"name\":\"www.example.test\",\"resolver\":\"127.0.0.1:" + (PORT + 1) + "\",\"timeoutMs\":300}");
        assertFalse(r.get("ok").asBoolean());
        assertTrue(
                r.get("errorKind").asText().equals("timeout")
                        || r.get("errorKind").asText().equals("connect"),
                r.toString());
    }

    @Test
    void refusesAMetadataResolver() throws Exception {
        JsonNode r = probe("{\"name\":\"www.example.test\",\"resolver\":\"169.254.169.254\"}");
        assertEquals("refused", r.get("errorKind").asText(), r.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}

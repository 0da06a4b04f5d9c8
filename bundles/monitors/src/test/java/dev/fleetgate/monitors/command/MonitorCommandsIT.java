package dev.fleetgate.monitors.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.monitors.internal.MonitorService;
import dev.fleetgate.monitors.internal.StoredMonitor;
import dev.fleetgate.monitors.internal.Testing;
import dev.fleetgate.persistence.testing.TestDatabase;

/** fleetgate:monitor-add and fleetgate:monitors on a real PostgreSQL. */
class MonitorCommandsIT {
    private static TestDatabase db;
    private static MonitorService service;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        service = Testing.service(Testing.store(db), Testing.agents("agent-1"), Testing.events());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static String run(Runnable action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            action.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addThenList() {
        MonitorAddCommand add = new MonitorAddCommand();
        add.monitors = service;
        add.name = "shell shop";
        add.target = "https://shop.example.test/";
        add.agents = List.of("name-agent-1");
        add.statuses = List.of(200, 204);
        add.interval = 30;
        String added = run(add::execute);
        assertTrue(added.startsWith("Monitor shell shop added: "), added);
        StoredMonitor m = service.list().stream()
                .filter(x -> x.name().equals("shell shop"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("agent-1"), m.agentIds());
        assertEquals(30, m.intervalSeconds());
        assertEquals(2, m.expect().get("statuses").size());

        MonitorAddCommand bad = new MonitorAddCommand();
        bad.monitors = service;
        bad.name = "bad";
        bad.target = "not a url";
        bad.agents = List.of("ghost");
        bad.interval = 5;
        String refused = run(bad::execute);
        assertTrue(
                refused.contains("target: ")
                        && refused.contains("intervalSeconds: ")
                        && refused.contains("agentIds[0]: no such agent: ghost"),
                refused);

        MonitorAddCommand dns = new MonitorAddCommand();
        dns.monitors = service;
        dns.name = "shell dns";
        dns.type = "dns";
        dns.target = "example.test";
        dns.recordType = "mx";
        dns.resolver = "127.0.0.1:5353";
        dns.values = List.of("10 mail.example.test.");
        dns.agents = List.of("agent-1");
        dns.confirmAgents = 1;
        assertTrue(run(dns::execute).startsWith("Monitor shell dns added: "));
        StoredMonitor d = service.list().stream()
                .filter(x -> x.name().equals("shell dns"))
                .findFirst()
                .orElseThrow();
        assertEquals("MX", d.options().get("recordType").asText());
        assertEquals("10 mail.example.test.", d.expect().get("values").get(0).asText());
        assertEquals(1, d.confirmAgents());

        MonitorsCommand list = new MonitorsCommand();
        list.monitors = service;
        String table = run(list::execute);
        assertTrue(table.contains("shell shop") && table.contains("PENDING") && table.contains("30s"), table);
    }
}

package dev.fleetgate.firewall.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.TestDatabase;

/** Test wiring: the store on a test database, the service with recording doubles of the platform services. */
public final class Fixtures {
    private Fixtures() {}

    public static FirewallStore store(TestDatabase db) throws Exception {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("db/firewall/V1__firewall.sql")) {
            Migrations.apply(
                    db.dataSource(),
                    "firewall",
                    List.of(new Migration(1, "firewall", new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        }
        return new FirewallStore(db.dataSource());
    }

    /** One agent (an edge at 192.0.2.50); events and changed sections are recorded in the lists. */
    public static FirewallService service(
            FirewallStore store, List<Event> events, List<String> changed, Supplier<Instant> now) {
        EventAdmin ea = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        };
        DesiredStateService desired = new DesiredStateService() {
            @Override
            public void changed(String section) {
                changed.add(section);
            }

            @Override
            public void changed(String section, String agentId) {
                changed.add(section);
            }

            @Override
            public Map<String, Long> recompute(String section) {
                return Map.of();
            }

            @Override
            public Map<String, SectionState> state(String agentId) {
                return Map.of();
            }
        };
        AgentDirectory agents = new AgentDirectory() {
            @Override
            public List<AgentInfo> list() {
                return List.of(new AgentInfo(
                        "a1", "edge", "edge", AgentInfo.Role.EDGE, AgentInfo.Status.ONLINE, null, "1", "192.0.2.50"));
            }

            @Override
            public Optional<AgentInfo> get(String agentId) {
                return list().stream().filter(a -> a.id().equals(agentId)).findFirst();
            }
        };
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new FirewallService(store, desired, ea, agents, clock, false);
    }
}

package dev.fleetgate.pages.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;

/** The module on a real PostgreSQL, with recording stand-ins for the core services it calls (tests only). */
public final class PagesTesting {
    private PagesTesting() {}

    /** @return a store on a database with the module's schema (every migration) */
    public static PagesStore store(TestDatabase db) throws Exception {
        List<Migration> all = new ArrayList<>();
        String[] files = {"V1__pages.sql", "V2__agent_maintenance.sql"};
        for (int i = 0; i < files.length; i++) {
            try (InputStream in = PagesTesting.class.getClassLoader().getResourceAsStream("db/pages/" + files[i])) {
                all.add(new Migration(i + 1, "pages", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        Migrations.apply(db.dataSource(), "pages", all);
        return new PagesStore(db.dataSource());
    }

    /** A clock the test moves. */
    public static final class MovingClock extends Clock {
        private volatile Instant now;

        public MovingClock(Instant start) {
            now = start;
        }

        public void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Records posted events (what module 8 receives). */
    public static final class Events implements EventAdmin {
        public final List<Event> posted = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }
    }

    /** Records recomputed sections ({@code section} or {@code section@agentId}). */
    public static final class Desired implements DesiredStateService {
        public final List<String> changed = new CopyOnWriteArrayList<>();

        @Override
        public void changed(String section) {
            changed.add(section);
        }

        @Override
        public void changed(String section, String agentId) {
            changed.add(section + "@" + agentId);
        }

        @Override
        public Map<String, Long> recompute(String section) {
            return Map.of();
        }

        @Override
        public Map<String, SectionState> state(String agentId) {
            return Map.of();
        }
    }

    public static final class Services implements ServiceDirectory {
        final Map<String, ServiceInfo> byId = new ConcurrentHashMap<>();

        public ServiceInfo add(String name) {
            ServiceInfo s = new ServiceInfo(
                    UUID.randomUUID().toString(), name, 1, List.of(name + ".test"), List.of(), List.of(), false, 0);
            byId.put(s.id(), s);
            return s;
        }

        @Override
        public List<ServiceInfo> services() {
            return new ArrayList<>(byId.values());
        }

        @Override
        public Optional<ServiceInfo> service(String id) {
            return Optional.ofNullable(byId.get(id));
        }
    }

    public static final class Agents implements AgentDirectory {
        final Map<String, AgentInfo> byId = new ConcurrentHashMap<>();

        public AgentInfo add(String name) {
            AgentInfo a = new AgentInfo(
                    UUID.randomUUID().toString(),
                    name,
                    name,
                    AgentInfo.Role.HOST,
                    AgentInfo.Status.ONLINE,
                    null,
                    "test",
                    null);
            byId.put(a.id(), a);
            return a;
        }

        @Override
        public List<AgentInfo> list() {
            return new ArrayList<>(byId.values());
        }

        @Override
        public Optional<AgentInfo> get(String agentId) {
            return Optional.ofNullable(byId.get(agentId));
        }
    }
}

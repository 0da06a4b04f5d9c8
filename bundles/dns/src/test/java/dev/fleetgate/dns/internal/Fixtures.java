package dev.fleetgate.dns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.proxy.Target;
import dev.fleetgate.security.SecretBox;
import dev.fleetgate.security.internal.AesGcmSecretBox;

/** Test doubles and setup shared by the DNS tests. */
final class Fixtures {
    private Fixtures() {}

    static void migrate(DataSource ds) throws Exception {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("db/dns/V1__zones_and_records.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Migrations.apply(ds, "dns", List.of(new Migration(1, "zones_and_records", sql)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static SecretBox secretBox() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AesGcmSecretBox(key);
    }

    static AgentInfo agent(String id, AgentInfo.Role role, AgentInfo.Status status, String address) {
        return new AgentInfo(
                id,
                "agent-" + id.substring(0, 4),
                "host-" + id.substring(0, 4),
                role,
                status,
                Instant.now(),
                "0.1.0",
                address);
    }

    static ServiceDirectory.ServiceInfo service(String id, String name, List<String> domains, List<String> agentIds) {
        return new ServiceDirectory.ServiceInfo(
                id, name, 1, domains, agentIds, List.of(new Target("127.0.0.1", 9001, 1, null, null, false)), false, 0);
    }

    /** A service directory whose content the test sets. */
    static final class Services implements ServiceDirectory {
        final List<ServiceInfo> list = new CopyOnWriteArrayList<>();

        @Override
        public List<ServiceInfo> services() {
            return new ArrayList<>(list);
        }

        @Override
        public Optional<ServiceInfo> service(String id) {
            return list.stream().filter(s -> s.id().equals(id)).findFirst();
        }

        void put(ServiceInfo s) {
            list.removeIf(x -> x.id().equals(s.id()));
            list.add(s);
        }
    }

    /** Records the events posted. */
    static final class Events implements EventAdmin {
        final List<Event> posted = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }
    }

    static Event event(String topic) {
        return new Event(topic, Map.of());
    }
}

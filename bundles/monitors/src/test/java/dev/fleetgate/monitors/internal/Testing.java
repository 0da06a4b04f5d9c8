package dev.fleetgate.monitors.internal;

import java.time.Clock;
import java.time.Duration;

import org.osgi.service.event.EventAdmin;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.persistence.testing.TestDatabase;

/** Setup shared with the tests of other packages (shell commands). */
public final class Testing {
    private Testing() {}

    public static MonitorStore store(TestDatabase db) throws Exception {
        MonitorStoreIT.migrate(db);
        return new MonitorStore(db.dataSource());
    }

    /** A service whose runner never ticks (call {@code close} on nothing: its threads are daemons and idle). */
    public static MonitorService service(MonitorStore store, AgentDirectory agents, EventAdmin events) {
        return new MonitorService(
                store,
                agents,
                new MonitorRunner(
                        store, new MonitorRunnerIT.Tasks(), agents, events, Clock.systemUTC(), Duration.ofSeconds(30)));
    }

    public static AgentDirectory agents(String... online) {
        MonitorRunnerIT.Agents agents = new MonitorRunnerIT.Agents();
        for (String id : online) {
            agents.status.put(id, dev.fleetgate.api.AgentInfo.Status.ONLINE);
        }
        return agents;
    }

    public static EventAdmin events() {
        return new MonitorRunnerIT.Events();
    }
}

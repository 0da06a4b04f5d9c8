package dev.fleetgate.logs.internal;

import java.time.Duration;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.TaskService;

/** Builds fetchers for tests outside this package. */
public final class TestFetchers {
    private TestFetchers() {}

    public static LogFetcher create(AgentDirectory agents, TaskService tasks, Duration wait) {
        return new LogFetcher(agents, tasks, wait, Duration.ofSeconds(30), 262144);
    }
}

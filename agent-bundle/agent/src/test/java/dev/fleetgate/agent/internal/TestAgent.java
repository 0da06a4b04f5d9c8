package dev.fleetgate.agent.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parts of an agent as {@link AgentRuntime} wires them, for tests: a {@link SyncLoop} with its
 * {@link TaskRunner} and {@link SectionDispatcher}, syncing with a {@link FakeCore} as agent {@code web-1} 0.1.0.
 * Not started ({@code loop.start()}); {@link #close} stops the three.
 */
final class TestAgent implements AutoCloseable {
    final SectionDispatcher sections;
    final TaskRunner tasks;
    final SyncLoop loop;

    /**
     * @param token      the enrolment token, or {@code null}
     * @param onIdentity called once the agent's identity is known
     * @param fatal      called with the message of a fatal error
     */
    TestAgent(
            ObjectMapper mapper,
            FakeCore core,
            Path state,
            String token,
            Consumer<AgentIdentity> onIdentity,
            Consumer<String> fatal) {
        AgentSettings settings = AgentSettings.from(Map.of(
                AgentSettings.CORE,
                core.url().toString(),
                AgentSettings.STATE_DIR,
                state.toString(),
                AgentSettings.NAME,
                "web-1",
                AgentSettings.VERSION,
                "0.1.0",
                AgentSettings.TOKEN,
                token == null ? "" : token)::get);
        SyncLoop[] self = new SyncLoop[1];
        sections = new SectionDispatcher(mapper, () -> self[0].requestPush());
        tasks = new TaskRunner(mapper, sections, () -> self[0].requestPush());
        loop = new SyncLoop(
                settings,
                new CoreClient(settings.core(), mapper),
                new IdentityStore(mapper, state),
                tasks,
                sections,
                () -> null,
                onIdentity,
                fatal,
                mapper);
        self[0] = loop;
    }

    /** Stores the identity the fake core gives at enrolment, as if the agent had enrolled before. */
    static void storeIdentity(ObjectMapper mapper, FakeCore core, Path state) throws java.io.IOException {
        new IdentityStore(mapper, state)
                .save(new AgentIdentity(
                        core.url().toString(), FakeCore.AGENT_ID, FakeCore.API_KEY, "web-1", null, null));
    }

    @Override
    public void close() {
        loop.stop();
        tasks.stop();
        sections.stop();
    }
}

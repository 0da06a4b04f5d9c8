package dev.fleetgate.agent.internal;

import java.time.Clock;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/** Task type {@code echo}: answers {@code {"echo": payload, "agentId", "at"}}, for diagnostics and tests. */
@Component(property = TaskHandler.TYPE + "=echo")
public final class EchoHandler implements TaskHandler {

    private final String agentId;
    private final Clock clock;

    @Activate
    public EchoHandler(@Reference AgentContext context) {
        this(context.agentId(), Clock.systemUTC());
    }

    EchoHandler(String agentId, Clock clock) {
        this.agentId = agentId;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(Task task) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.set("echo", task.payload());
        result.put("agentId", agentId);
        result.put("at", Instant.now(clock).toString());
        return result;
    }
}

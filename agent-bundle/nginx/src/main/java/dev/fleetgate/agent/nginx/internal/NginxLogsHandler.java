package dev.fleetgate.agent.nginx.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task type {@code logs.nginx}: payload {@code {"log": "access"|"error", "tail", "cursor", "filter", "limit",
 * "maxBytes"}} → {@code {"lines": [{"timestamp", "stream", "text"}], "cursor", "truncated"}} (see
 * {@link LogQuery}).
 */
@Component(
        property = TaskHandler.TYPE + "=logs.nginx",
        configurationPid = NginxConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class NginxLogsHandler implements TaskHandler {

    private final LogQuery query;

    @Activate
    public NginxLogsHandler(@Reference AgentContext agent, NginxConfiguration config, Map<String, Object> properties) {
        this.query = new LogQuery(NginxSettings.from(config, agent.stateDir()).logsDir());
    }

    @Override
    public JsonNode handle(Task task) throws Exception {
        return query.run(LogQuery.request(task.payload()));
    }
}

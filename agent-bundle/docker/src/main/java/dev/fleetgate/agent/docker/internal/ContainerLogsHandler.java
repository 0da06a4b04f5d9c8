package dev.fleetgate.agent.docker.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task {@code logs.container}: payload {@code {"container", "tail"?, "cursor"?, "filter"?,
 * "stdout"?, "stderr"?, "limit"?, "maxBytes"?, "unmanaged"?}} → {@code {"lines": [{"timestamp", "stream",
 * "text"}], "cursor", "truncated"}}. An unknown container, or one Fleetgate does not manage (label
 * {@code fleetgate.managed=true}) without {@code "unmanaged": true}, fails the task with
 * {@code no such container: X}.
 */
@Component(property = TaskHandler.TYPE + "=logs.container", configurationPid = DockerConfig.PID)
public final class ContainerLogsHandler implements TaskHandler {

    private final DockerApi api;
    private final LogReader reader;

    @Activate
    public ContainerLogsHandler(DockerConfig config) {
        this.api = DockerApi.connect(config.dockerHost());
        this.reader = new LogReader(api);
    }

    @Override
    public JsonNode handle(Task task) throws IOException {
        return reader.read(LogQuery.parse(task.payload()));
    }

    @Deactivate
    void deactivate() throws IOException {
        api.close();
    }
}

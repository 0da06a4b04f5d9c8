package dev.fleetgate.agents.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.TaskService;

/** {@code /api/v1/tasks/{id}}: where a task stands. */
@Component(service = RestResource.class)
@Path("tasks")
@Produces(MediaType.APPLICATION_JSON)
public final class TasksResource implements RestResource {
    private final TaskService tasks;

    @Activate
    public TasksResource(@Reference TaskService tasks) {
        this.tasks = tasks;
    }

    @GET
    @Path("{id}")
    public Views.Task get(@PathParam("id") String id) {
        String taskId = Input.id(id, "id");
        return Views.Task.of(tasks.get(taskId).orElseThrow(() -> ApiException.notFound("Task " + id)));
    }
}

package dev.fleetgate.rest.resources;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import javax.annotation.security.PermitAll;
import javax.sql.DataSource;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Threads;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.rest.internal.DatabaseErrors;
import dev.fleetgate.rest.internal.DatabaseProbe;

/**
 * {@code GET /health}: 200 {@code {"status":"UP"}} when the shared database answers within
 * 2 s, else 503 {@code {"status":"DOWN","database":"DOWN","detail":...}}.
 */
@Component(service = RestResource.class)
@Path("health")
@PermitAll
public final class HealthResource implements RestResource {
    private final ExecutorService executor = Threads.cached("fleetgate-health");
    private final DatabaseProbe probe = new DatabaseProbe(executor, Duration.ofSeconds(2));

    @Reference(
            target = Database.TARGET,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DataSource dataSource;

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        String problem = probe.check(dataSource);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problem == null ? "UP" : "DOWN");
        if (problem != null) {
            body.put("database", "DOWN");
            body.put("detail", problem);
        }
        if (problem == null) {
            return Response.ok(body).build();
        }
        return Response.status(503)
                .header("Retry-After", DatabaseErrors.RETRY_AFTER_SECONDS)
                .entity(body)
                .build();
    }
}

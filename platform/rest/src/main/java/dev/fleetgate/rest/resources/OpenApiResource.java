package dev.fleetgate.rest.resources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import javax.annotation.security.PermitAll;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;

import org.osgi.service.component.annotations.Component;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;

/** {@code GET /openapi.yaml}: the REST contract, copied from docs/openapi.yaml at build time. */
@Component(service = RestResource.class)
@Path("openapi.yaml")
@PermitAll
public final class OpenApiResource implements RestResource {
    static final String RESOURCE = "/openapi/openapi.yaml";

    @GET
    @Produces("application/yaml")
    public byte[] document() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw ApiException.notFound("OpenAPI document");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

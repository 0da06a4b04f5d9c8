package dev.fleetgate.certificates.rest;

import static dev.fleetgate.certificates.rest.CertificateJson.requireObject;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.certificates.internal.CertificateService;
import dev.fleetgate.certificates.internal.CertificateStore;

/**
 * {@code /api/v1/services/{id}/tls}: a service's TLS ({@code {"mode":"off"|"auto"|"custom","certificateId"?,
 * "redirectHttp"?,"hstsMaxAgeSeconds"?}}), a convenience over the service's own {@code tls} field (stored by the
 * proxy module with the service, the one source of truth): PUT writes that field, GET reads it, with the
 * certificate in use and {@code problem} (why it is not served, e.g. custom naming a missing certificate).
 */
@Component(service = RestResource.class)
@Path("services/{id}/tls")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ServiceTlsResource implements RestResource {
    private final CertificateService certificates;

    @Activate
    public ServiceTlsResource(@Reference CertificateService certificates) {
        this.certificates = certificates;
    }

    @GET
    public ObjectNode get(@PathParam("id") String id) {
        UUID service = serviceId(id);
        certificates.requireService(service);
        CertificateStore.ServiceTls t = certificates.serviceTls(service).orElse(null);
        return CertificateJson.serviceTls(id, t, t == null ? null : certificates.problem(t));
    }

    @PUT
    public ObjectNode put(@PathParam("id") String id, JsonNode body) {
        UUID service = serviceId(id);
        requireObject(body);
        Fields f = new Fields();
        String mode = f.choice(body, "mode", "mode", List.of("off", "auto", "custom"), null);
        if (mode == null && !f.failed("mode")) {
            f.error("mode", "is required");
        }
        UUID certificateId = f.uuid(body, "certificateId", "certificateId", "custom".equals(mode));
        boolean redirect = f.bool(body, "redirectHttp", "redirectHttp", true);
        Integer hsts = f.integer(body, "hstsMaxAgeSeconds", "hstsMaxAgeSeconds", 0, 63_072_000, null);
        f.unknown(body, Set.of("mode", "certificateId", "redirectHttp", "hstsMaxAgeSeconds", "serviceId"), "");
        f.check();
        CertificateStore.ServiceTls t = certificates.setServiceTls(
                service, mode, certificateId, redirect, hsts == null ? null : hsts.longValue());
        return CertificateJson.serviceTls(id, t, certificates.problem(t));
    }

    private static UUID serviceId(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw ApiException.notFound("Service " + id);
    }
}

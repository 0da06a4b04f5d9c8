package dev.fleetgate.certificates.rest;

import static dev.fleetgate.certificates.rest.CertificateJson.requireObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DomainNames;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.certificates.internal.CertificateService;
import dev.fleetgate.certificates.internal.CertificateStore;
import dev.fleetgate.certificates.internal.OcspStore;
import dev.fleetgate.certificates.internal.StoredCertificate;

/**
 * {@code /api/v1/certificates}: reads for every signed-in user; requests, uploads, renewals and deletions for
 * operators and admins; revocation and the ACME account (terms of service) for admins.
 */
@Component(service = RestResource.class)
@Path("certificates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class CertificatesResource implements RestResource {
    static final int MAX_DOMAINS = 100;
    static final int MAX_PEM = 64 * 1024;

    private final CertificateService certificates;

    @Activate
    public CertificatesResource(@Reference CertificateService certificates) {
        this.certificates = certificates;
    }

    @GET
    public List<ObjectNode> list() {
        java.util.Map<java.util.UUID, OcspStore.State> ocsp = certificates.ocspStates();
        return certificates.list().stream()
                .map(c -> CertificateJson.certificate(c, ocsp.get(c.id())))
                .toList();
    }

    /** Requests an ACME certificate: {@code {"domains":[…]}} → 201 PENDING; the scheduler orders it. */
    @POST
    public Response request(JsonNode body, @Context UriInfo uri) {
        requireObject(body);
        Fields f = new Fields();
        List<String> domains = domains(f, body);
        f.unknown(body, Set.of("domains"), "");
        f.check();
        return created(uri, view(certificates.request(domains)));
    }

    /** Uploads a certificate: {@code {"certificatePem","privateKeyPem"}} → 201 VALID (never renewed here). */
    @POST
    @Path("upload")
    public Response upload(JsonNode body, @Context UriInfo uri) {
        requireObject(body);
        Fields f = new Fields();
        String cert = f.text(body, "certificatePem", "certificatePem", true, MAX_PEM);
        String key = f.text(body, "privateKeyPem", "privateKeyPem", true, MAX_PEM);
        f.unknown(body, Set.of("certificatePem", "privateKeyPem"), "");
        f.check();
        ObjectNode c = view(certificates.upload(cert, key));
        return Response.created(uri.getBaseUriBuilder()
                        .path("certificates")
                        .path(c.get("id").asText())
                        .build())
                .entity(c)
                .build();
    }

    @GET
    @Path("account")
    public ObjectNode account() {
        return account(certificates.account());
    }

    /** The account's contact and the admin's agreement to the CA's terms of service. */
    @PUT
    @Path("account")
    @RolesAllowed(Roles.ADMIN)
    public ObjectNode saveAccount(JsonNode body) {
        requireObject(body);
        Fields f = new Fields();
        String email = f.text(body, "email", "email", false, 254);
        boolean agreed = f.bool(body, "termsAgreed", "termsAgreed", false);
        if (email != null && !email.isEmpty() && !email.matches("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,63}")) {
            f.error("email", "must be an e-mail address");
        }
        f.unknown(body, Set.of("email", "termsAgreed", "directoryUrl", "termsOfService", "accountUrl"), "");
        f.check();
        return account(certificates.saveAccount(email == null || email.isEmpty() ? null : email, agreed));
    }

    private ObjectNode account(CertificateStore.Account a) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("directoryUrl", a.directoryUrl());
        o.put("email", a.email());
        o.put("termsAgreed", a.termsAgreed());
        o.put("termsOfService", certificates.termsOfService().orElse(null));
        o.put("accountUrl", a.accountUrl());
        return o;
    }

    @GET
    @Path("{id}")
    public ObjectNode get(@PathParam("id") String id) {
        return view(certificates.get(id(id)));
    }

    /** Orders a new certificate now (the current one keeps serving until it is issued). */
    @POST
    @Path("{id}/renew")
    public Response renew(@PathParam("id") String id) {
        return Response.accepted(view(certificates.renew(id(id)))).build();
    }

    @POST
    @Path("{id}/revoke")
    @RolesAllowed(Roles.ADMIN)
    public ObjectNode revoke(@PathParam("id") String id) {
        return view(certificates.revoke(id(id)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        certificates.delete(id(id));
        return Response.noContent().build();
    }

    static List<String> domains(Fields f, JsonNode body) {
        List<String> raw = f.strings(body, "domains", "domains", true, MAX_DOMAINS, 300);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (body.path("domains").isEmpty() && !f.failed("domains")) {
            f.error("domains", "must name at least one domain");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            try {
                String d = DomainNames.normalizeDomain(raw.get(i));
                if (!seen.add(d)) {
                    f.error(Fields.index("domains", i), "is given twice");
                }
            } catch (DomainNames.InvalidNameException e) {
                f.error(Fields.index("domains", i), e.getMessage());
            }
        }
        out.addAll(seen);
        return out;
    }

    private static Response created(UriInfo uri, ObjectNode c) {
        return Response.created(
                        uri.getAbsolutePathBuilder().path(c.get("id").asText()).build())
                .entity(c)
                .build();
    }

    /** Unknown or malformed ids are 404, like any missing certificate. */
    static UUID id(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw ApiException.notFound("Certificate " + id);
    }

    private ObjectNode view(StoredCertificate c) {
        return CertificateJson.certificate(c, certificates.ocsp(c).orElse(null));
    }
}

package dev.fleetgate.certificates.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.certificates.CertificateState;

/**
 * Section {@code acme}: {@code {"tokens":{"<token>":"<key authorization>"}}}, the same for every agent (the
 * CA may reach any host that serves the domain, or the edge). Key authorizations are not secret: the CA fetches
 * them over plain HTTP.
 */
@Component(
        service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + CertificateState.ACME_SECTION)
public final class AcmeSection implements DesiredStateContributor {
    private final CertificateStore store;

    @Activate
    public AcmeSection(@Reference CertificateStore store) {
        this.store = store;
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        ObjectNode body = CertificateStore.JSON.createObjectNode();
        ObjectNode tokens = body.putObject("tokens");
        store.challenges().forEach(tokens::put);
        return body;
    }
}

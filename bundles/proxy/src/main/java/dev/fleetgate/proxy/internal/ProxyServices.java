package dev.fleetgate.proxy.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.proxy.ProxySpec;

/** Service CRUD as the REST API and the shell use it: validation, storage, signalling. */
@Component(service = ProxyServices.class)
public final class ProxyServices {
    private final ServiceStore store;
    private final AgentDirectory agents;
    private final DesiredStateService desiredState;
    private final ServiceStatus status;

    @Activate
    public ProxyServices(@Reference ServiceStore store, @Reference AgentDirectory agents,
            @Reference DesiredStateService desiredState, @Reference ServiceStatus status) {
        this.store = store;
        this.agents = agents;
        this.desiredState = desiredState;
        this.status = status;
    }

    public List<StoredService> list() {
        return store.list();
    }

    public StoredService get(UUID id) {
        return store.get(id).orElseThrow(() -> ApiException.notFound("Service " + id));
    }

    public Optional<StoredService> findByName(String name) {
        return store.findByName(name);
    }

    public StoredService create(JsonNode body) {
        StoredService s = store.create(validate(body));
        desiredState.changed(ProxySpec.SECTION);
        return s;
    }

    public StoredService update(UUID id, JsonNode body) {
        get(id);
        StoredService s = store.update(id, validate(body));
        desiredState.changed(ProxySpec.SECTION);
        return s;
    }

    public void delete(UUID id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("Service " + id);
        }
        status.forget(id);
        desiredState.changed(ProxySpec.SECTION);
    }

    private ServiceConfig validate(JsonNode body) {
        ServiceValidator.Result r = new ServiceValidator(id -> agents.get(id).isPresent()).validate(body);
        if (!r.ok()) {
            throw ApiException.invalid(r.errors());
        }
        return r.config();
    }
}

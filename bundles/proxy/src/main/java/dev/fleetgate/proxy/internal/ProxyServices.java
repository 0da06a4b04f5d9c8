package dev.fleetgate.proxy.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;

/** Service CRUD as the REST API and the shell use it: validation, storage, signalling. */
@Component(service = ProxyServices.class)
public final class ProxyServices {
    private final ServiceStore store;
    private final AgentDirectory agents;
    private final DesiredStateService desiredState;
    private final ServiceStatus status;
    private final EventAdmin events;

    @Activate
    public ProxyServices(@Reference ServiceStore store, @Reference AgentDirectory agents,
            @Reference DesiredStateService desiredState, @Reference ServiceStatus status,
            @Reference EventAdmin events) {
        this.store = store;
        this.agents = agents;
        this.desiredState = desiredState;
        this.status = status;
        this.events = events;
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
        posted(s.id(), "CREATED", s.revision());
        return s;
    }

    public StoredService update(UUID id, JsonNode body) {
        get(id);
        StoredService s = store.update(id, validate(body));
        desiredState.changed(ProxySpec.SECTION);
        posted(s.id(), "UPDATED", s.revision());
        return s;
    }

    public void delete(UUID id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("Service " + id);
        }
        status.forget(id);
        desiredState.changed(ProxySpec.SECTION);
        posted(id, "DELETED", -1);
    }

    private void posted(UUID id, String action, long revision) {
        events.postEvent(new Event(ServiceDirectory.TOPIC_CHANGED,
                Map.of("serviceId", id.toString(), "action", action, "revision", revision)));
    }

    private ServiceConfig validate(JsonNode body) {
        ServiceValidator.Result r = new ServiceValidator(id -> agents.get(id).isPresent()).validate(body);
        if (!r.ok()) {
            throw ApiException.invalid(r.errors());
        }
        return r.config();
    }
}

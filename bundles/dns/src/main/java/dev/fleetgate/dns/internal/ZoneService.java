package dev.fleetgate.dns.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.SecretBox;

/**
 * Zone CRUD as the REST API and the shell use it: validation, sealing of the TSIG secret,
 * storage, and the {@value #TOPIC_ZONE_CHANGED} event that makes the reconciler follow.
 */
@Component(service = ZoneService.class)
public final class ZoneService {
    /** Posted after a zone was created, changed or removed. Property {@code zoneId}. */
    public static final String TOPIC_ZONE_CHANGED = "fleetgate/dns/ZONE_CHANGED";

    private final ZoneStore store;
    private final Providers providers;
    private final ZoneAccess access;
    private final EventAdmin events;

    @Activate
    public ZoneService(
            @Reference ZoneStore store,
            @Reference Providers providers,
            @Reference SecretBox box,
            @Reference EventAdmin events) {
        this.store = store;
        this.providers = providers;
        this.access = new ZoneAccess(box);
        this.events = events;
    }

    public List<StoredZone> list() {
        return store.list();
    }

    public StoredZone get(UUID id) {
        return store.get(id).orElseThrow(() -> ApiException.notFound("Zone " + id));
    }

    /** @throws ApiException 400 for invalid fields, 409 when the zone exists */
    public StoredZone create(JsonNode body) {
        ZoneInput in = validate(body, null);
        StoredZone z = store.create(in, access.seal(in.tsigSecret()));
        changed(z.id());
        return z;
    }

    /** @throws ApiException 400, 404 */
    public StoredZone update(UUID id, JsonNode body) {
        StoredZone existing = get(id);
        ZoneInput in = validate(body, existing);
        StoredZone z = store.update(id, in, access.seal(in.tsigSecret()));
        changed(id);
        return z;
    }

    /** Tells the reconciler a zone is gone (the reconciler removed it). */
    public void removed(UUID id) {
        changed(id);
    }

    private ZoneInput validate(JsonNode body, StoredZone existing) {
        ZoneValidator.Result r = new ZoneValidator(providers.types()).validate(body, existing);
        if (!r.ok()) {
            throw ApiException.invalid(r.errors());
        }
        return r.input();
    }

    private void changed(UUID id) {
        events.postEvent(new Event(TOPIC_ZONE_CHANGED, Map.of("zoneId", id.toString())));
    }
}

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
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.security.SecretBox;

/**
 * Service CRUD and scaling as the REST API and the shell use them: validation, storage,
 * signalling ({@code proxy} and {@code containers} sections, {@link ServiceDirectory#TOPIC_CHANGED}).
 */
@Component(service = ProxyServices.class, configurationPid = ProxyConfig.PID)
public final class ProxyServices {
    private static final int SCALE_ATTEMPTS = 5;
    /** Who the history names for changes made in the Karaf shell. */
    public static final String SHELL = "shell";

    private static final String REPLICAS_RANGE = "must be an integer from 0 to " + ContainersValidator.MAX_REPLICAS;

    private final ServiceStore store;
    private final AgentDirectory agents;
    private final DesiredStateService desiredState;
    private final ServiceStatus status;
    private final EventAdmin events;
    private final TargetPolicy targets;
    private final SecretBox box;

    @Activate
    public ProxyServices(
            @Reference ServiceStore store,
            @Reference AgentDirectory agents,
            @Reference DesiredStateService desiredState,
            @Reference ServiceStatus status,
            @Reference EventAdmin events,
            @Reference SecretBox box,
            ProxyConfig config) {
        this.box = box;
        this.targets = new TargetPolicy(TargetPolicy.ports(config.reservedTargetPorts()));
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

    /** @return the service with this name, else with this id (as the shell commands take either) */
    public Optional<StoredService> findByNameOrId(String nameOrId) {
        Optional<StoredService> byName = store.findByName(nameOrId);
        if (byName.isPresent()) {
            return byName;
        }
        try {
            return store.get(UUID.fromString(nameOrId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Creates a service as an admin (the shell). */
    public StoredService create(JsonNode body) {
        return create(body, true, SHELL);
    }

    /**
     * Creates a service from a typed configuration (the shell), checked as the same configuration sent as a body
     * would be.
     *
     * @throws ApiException 400 naming the fields the configuration gets wrong, 409 when a name or domain is taken
     */
    public StoredService create(ServiceConfig config, boolean admin, String user) {
        return create(Json.MAPPER.valueToTree(config), admin, user);
    }

    /**
     * @param admin whether the caller is an admin: only admins may set {@code allowUnsafeTargets} or
     *              {@code containers.capAdd}
     * @param user  who creates it, for the revision history
     */
    public StoredService create(JsonNode body, boolean admin, String user) {
        ServiceConfig config = validate(body);
        if (!admin) {
            adminOnly(null, config);
            hostNetwork(null, config);
        }
        StoredService s = store.create(seal(null, config), user);
        signal();
        posted(s.id(), "CREATED", s.revision());
        return s;
    }

    /** Updates a service as an admin (the shell). */
    public StoredService update(UUID id, JsonNode body) {
        return update(id, body, true, SHELL);
    }

    /**
     * @param admin whether the caller is an admin: others may keep, not introduce or change, what only admins may
     *              set ({@code allowUnsafeTargets} with its targets, {@code containers.capAdd})
     * @param user  who changes it, for the revision history
     */
    public StoredService update(UUID id, JsonNode body, boolean admin, String user) {
        StoredService old = get(id);
        ServiceConfig config = validate(body);
        if (!admin) {
            adminOnly(old.config(), config);
            hostNetwork(old.config(), config);
        }
        StoredService s = store.update(id, seal(old.config(), config), user);
        signal();
        posted(s.id(), "UPDATED", s.revision());
        return s;
    }

    /** Deletes a service as an admin (the shell). */
    public void delete(UUID id) {
        delete(id, SHELL);
    }

    /**
     * Deletes a service; its history stays ({@link ServiceStore#delete}) and it can be restored from it.
     *
     * @param user who deletes it, for the revision history
     */
    public void delete(UUID id, String user) {
        if (!store.delete(id, user)) {
            throw ApiException.notFound("Service " + id);
        }
        status.forget(id);
        signal();
        posted(id, "DELETED", -1);
    }

    /**
     * Sets the replica count of a service with managed containers ({@code {"replicas": n}}).
     * The revision grows only when the count changes; a concurrent update is retried.
     *
     * @throws ApiException 400 for a bad count or a service without containers, 404 when unknown
     */
    public StoredService scale(UUID id, JsonNode body, String user) {
        JsonNode n = body == null || !body.isObject() ? null : body.get("replicas");
        if (!ContainersValidator.isReplicas(n)) {
            throw ApiException.invalid("replicas", n == null || n.isNull() ? "is required" : REPLICAS_RANGE);
        }
        return scale(id, n.asInt(), user);
    }

    /**
     * Sets the replica count of a service with managed containers. The revision grows only when the count
     * changes; a concurrent update is retried.
     *
     * @throws ApiException 400 for a count out of range or a service without containers, 404 when unknown
     */
    public StoredService scale(UUID id, int replicas, String user) {
        if (replicas < 0 || replicas > ContainersValidator.MAX_REPLICAS) {
            throw ApiException.invalid("replicas", REPLICAS_RANGE);
        }
        for (int attempt = 1; ; attempt++) {
            StoredService s = get(id);
            if (s.config().containers() == null) {
                throw ApiException.invalid("replicas", "the service has no managed containers to scale");
            }
            if (s.config().containers().replicas() == replicas) {
                return s;
            }
            Optional<StoredService> scaled = store.updateIfRevision(
                    id, s.revision(), s.config().withReplicas(replicas), user, ServiceRevision.SCALED);
            if (scaled.isPresent()) {
                desiredState.changed(ContainersSection.SECTION);
                events.postEvent(new Event(
                        ServiceDirectory.TOPIC_CHANGED,
                        Map.of(
                                "serviceId",
                                id.toString(),
                                "action",
                                "UPDATED",
                                "revision",
                                scaled.get().revision(),
                                "changedBy",
                                user == null ? "" : user)));
                return scaled.get();
            }
            if (attempt == SCALE_ATTEMPTS) {
                throw ApiException.conflict("The service kept changing meanwhile; try again");
            }
        }
    }

    /** @return the kept revisions of a service, newest first (without configurations) */
    public List<ServiceRevision> revisions(UUID id) {
        List<ServiceRevision> kept = store.revisions(id);
        if (kept.isEmpty()) {
            get(id); // 404 for an unknown id (a deleted service keeps its history, DELETED first)
        }
        return kept;
    }

    /** @return the deleted services whose history is kept, most recently deleted first */
    public List<ServiceStore.DeletedService> deleted() {
        return store.deleted();
    }

    /** @throws ApiException 404 when the service or the revision is unknown (or no longer kept) */
    public ServiceRevision revision(UUID id, long revision) {
        if (store.revisions(id).isEmpty()) {
            get(id);
        }
        return store.revision(id, revision)
                .orElseThrow(() -> ApiException.notFound("Revision " + revision + " of service " + id));
    }

    /**
     * Applies the configuration of a kept revision as a new revision ({@code {"revision": n}}), checked as an
     * update would be: validation against today's agents and target policy, admin-only fields for non-admins.
     *
     * @throws ApiException 400 for a malformed or unknown revision (field {@code revision}), 404 for an unknown
     *                      service, 409 when it is the current revision or its configuration is no longer valid
     *                      or its name or a domain is taken meanwhile
     */
    public StoredService rollback(UUID id, JsonNode body, boolean admin, String user) {
        Fields in = new Fields();
        if (body == null || !body.isObject()) {
            in.error("revision", "is required");
        }
        Integer n = in.ok() ? in.requiredInteger(body, "revision", "revision", 1, Integer.MAX_VALUE) : null;
        in.check();
        return rollback(id, n, admin, user);
    }

    /**
     * Applies the configuration of kept revision {@code n} as a new revision, as {@link #rollback(UUID, JsonNode,
     * boolean, String)} does for a body {@code {"revision": n}}.
     */
    public StoredService rollback(UUID id, int n, boolean admin, String user) {
        if (n < 1) {
            throw ApiException.invalid("revision", "must be an integer from 1 to " + Integer.MAX_VALUE);
        }
        Optional<StoredService> existing = store.get(id);
        if (existing.isEmpty()) {
            return restore(id, n, admin, user);
        }
        StoredService current = existing.get();
        ServiceRevision target = store.revision(id, n)
                .orElseThrow(() -> ApiException.invalid(
                        "revision", "is not a kept revision of this service (see GET /services/" + id + "/revisions)"));
        if (n == current.revision()) {
            throw ApiException.conflict("Revision " + n + " is the current revision");
        }
        ServiceConfig config = revalidated(target, current.config(), admin);
        StoredService s = store.rollback(id, config, user, n);
        signal();
        posted(s.id(), "UPDATED", s.revision());
        return s;
    }

    /**
     * Restores a deleted service from one of its kept revisions: the same id, the revision after its DELETED one,
     * checked as a create would be against the configuration it had when deleted.
     */
    private StoredService restore(UUID id, int n, boolean admin, String user) {
        List<ServiceRevision> kept = store.revisions(id);
        if (kept.isEmpty() || !ServiceRevision.DELETED.equals(kept.get(0).action())) {
            throw ApiException.notFound("Service " + id);
        }
        ServiceRevision target = store.revision(id, n)
                .orElseThrow(() -> ApiException.invalid(
                        "revision", "is not a kept revision of this service (see GET /services/" + id + "/revisions)"));
        ServiceConfig last = store.revision(id, kept.get(0).revision())
                .map(ServiceRevision::config)
                .orElse(null);
        ServiceConfig config = revalidated(target, last, admin);
        StoredService s = store.restore(id, config, user, n);
        signal();
        posted(s.id(), "CREATED", s.revision());
        return s;
    }

    /**
     * A kept revision's configuration checked again as today's input, against {@code previous} for what only
     * admins may introduce.
     *
     * @throws ApiException 409 when it is no longer valid (its errors name the fields)
     */
    private ServiceConfig revalidated(ServiceRevision target, ServiceConfig previous, boolean admin) {
        try {
            ServiceConfig config = restored(target.config());
            if (!admin) {
                adminOnly(previous, config);
                hostNetwork(previous, config);
            }
            return config;
        } catch (ApiException e) {
            throw new ApiException(
                    409, "Revision " + target.revision() + " is no longer valid: " + e.getMessage(), e.errors());
        }
    }

    /** An old configuration validated again as today's input, its sealed secret variables kept as they were. */
    private ServiceConfig restored(ServiceConfig old) {
        JsonNode body = Json.MAPPER.valueToTree(old);
        if (body.path("containers").path("secretEnv") instanceof ObjectNode secrets) {
            List<String> names = new java.util.ArrayList<>();
            secrets.fieldNames().forEachRemaining(names::add);
            names.forEach(secrets::putNull); // "keep": the sealed values are put back below
        }
        ServiceConfig config = validate(body);
        return config.containers() == null || old.containers() == null
                ? config
                : config.withContainers(
                        config.containers().withSecretEnv(old.containers().secretEnv()));
    }

    /**
     * Replaces a service's {@code tls} (already validated); the revision grows only when it changes, a
     * concurrent update is retried.
     *
     * @throws ApiException 404 when unknown, 409 when the service kept changing
     */
    public StoredService setTls(UUID id, dev.fleetgate.proxy.ServiceDirectory.TlsSetting tls) {
        for (int attempt = 1; ; attempt++) {
            StoredService s = get(id);
            if (s.config().tls().equals(tls)) {
                return s;
            }
            Optional<StoredService> changed = store.updateIfRevision(
                    id, s.revision(), s.config().withTls(tls), "certificates", ServiceRevision.UPDATED);
            if (changed.isPresent()) {
                desiredState.changed(ProxySpec.SECTION);
                posted(id, "UPDATED", changed.get().revision());
                return changed.get();
            }
            if (attempt == SCALE_ATTEMPTS) {
                throw ApiException.conflict("The service kept changing meanwhile; try again");
            }
        }
    }

    private void signal() {
        desiredState.changed(ProxySpec.SECTION);
        desiredState.changed(ContainersSection.SECTION);
    }

    private void posted(UUID id, String action, long revision) {
        events.postEvent(new Event(
                ServiceDirectory.TOPIC_CHANGED,
                Map.of("serviceId", id.toString(), "action", action, "revision", revision)));
    }

    /**
     * Seals new secret variables; one given as "keep" ({@code null}) takes the stored sealed value.
     *
     * @throws ApiException 400 for a variable to keep that has no stored value
     */
    ServiceConfig seal(ServiceConfig old, ServiceConfig config) {
        if (config.containers() == null || config.containers().secretEnv().isEmpty()) {
            return config;
        }
        Map<String, String> stored = old == null || old.containers() == null
                ? Map.of()
                : old.containers().secretEnv();
        Map<String, String> sealed = new java.util.TreeMap<>();
        List<FieldError> errors = new java.util.ArrayList<>();
        config.containers().secretEnv().forEach((name, value) -> {
            if (value != null) {
                sealed.put(name, box.encrypt(value));
            } else if (stored.containsKey(name)) {
                sealed.put(name, stored.get(name));
            } else {
                errors.add(
                        new FieldError("containers.secretEnv." + name, "has no stored value to keep: give the value"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return config.withContainers(config.containers().withSecretEnv(sealed));
    }

    /**
     * Host networking (the default) lets a replica reach every loopback service of its host. Where it is avoidable
     * — a placed agent's engine offers a bridge — only an admin may place host-network containers there (or add
     * such agents to a service that has them); an operator names {@code "network": "bridge"} with a port.
     */
    void hostNetwork(ServiceConfig old, ServiceConfig config) {
        ServiceConfig.Containers c = config.containers();
        if (c == null || !"host".equals(c.network())) {
            return;
        }
        boolean wasHost = old != null
                && old.containers() != null
                && "host".equals(old.containers().network());
        for (String agentId : config.agentIds()) {
            if (status.hasBridge(agentId) && !(wasHost && old.agentIds().contains(agentId))) {
                throw ApiException.invalid(
                        "containers.network",
                        "agent " + agentId + " offers a bridge network:"
                                + " only an admin may run host-network containers there (use \"bridge\" with a port)");
            }
        }
    }

    /** Refuses (400) what only an admin may introduce or change. */
    static void adminOnly(ServiceConfig old, ServiceConfig config) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (config.allowUnsafeTargets()
                && (old == null
                        || !old.allowUnsafeTargets()
                        || !old.upstream().targets().equals(config.upstream().targets()))) {
            errors.add(new FieldError(
                    "allowUnsafeTargets",
                    "only an admin may allow targets on reserved ports (or change the targets it allowed)"));
        }
        List<String> caps =
                config.containers() == null ? List.of() : config.containers().capAdd();
        List<String> oldCaps = old == null || old.containers() == null
                ? List.of()
                : old.containers().capAdd();
        if (!caps.isEmpty() && !caps.equals(oldCaps)) {
            errors.add(new FieldError("containers.capAdd", "only an admin may add capabilities to containers"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private ServiceConfig validate(JsonNode body) {
        ServiceValidator.Result r = new ServiceValidator(id -> agents.get(id).isPresent(), targets).validate(body);
        if (!r.ok()) {
            throw ApiException.invalid(r.errors());
        }
        return r.config();
    }
}

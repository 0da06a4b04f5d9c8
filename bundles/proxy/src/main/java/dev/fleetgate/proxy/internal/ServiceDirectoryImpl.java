package dev.fleetgate.proxy.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.proxy.Target;

/** The {@link ServiceDirectory} over the service store. */
@Component(service = ServiceDirectory.class)
public final class ServiceDirectoryImpl implements ServiceDirectory {
    private final ServiceStore store;

    /** Optional so that the read-only view never waits for the writing side's references. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProxyServices writer;

    @Activate
    public ServiceDirectoryImpl(@Reference ServiceStore store) {
        this.store = store;
    }

    @Override
    public List<ServiceInfo> services() {
        return store.list().stream().map(ServiceDirectoryImpl::info).toList();
    }

    @Override
    public Optional<ServiceInfo> service(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        return store.get(uuid).map(ServiceDirectoryImpl::info);
    }

    @Override
    public ServiceInfo setTls(String id, TlsSetting tls) {
        return change(id, (w, uuid) -> w.setTls(uuid, tls));
    }

    @Override
    public ServiceInfo setReplicas(String id, int replicas, String changedBy) {
        return change(id, (w, uuid) -> w.scale(uuid, replicas, changedBy));
    }

    /** @return the service as {@code write} changed it (503 before the writer is bound, 404 for a malformed id) */
    private ServiceInfo change(String id, BiFunction<ProxyServices, UUID, StoredService> write) {
        ProxyServices w = writer;
        if (w == null) {
            throw new ApiException(503, "The proxy module is not ready");
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound("Service " + id);
        }
        return info(write.apply(w, uuid));
    }

    static ServiceInfo info(StoredService s) {
        ServiceConfig c = s.config();
        List<Target> targets = c.upstream().targets().stream()
                .map(t -> new Target(t.host(), t.port(), t.weight(), t.maxFails(), t.failTimeoutSeconds(), false))
                .toList();
        return new ServiceInfo(
                s.id().toString(),
                c.name(),
                s.revision(),
                c.domains(),
                c.agentIds(),
                targets,
                c.containers() != null,
                c.containers() == null ? 0 : c.containers().replicas(),
                c.tls(),
                c.containers() == null ? null : c.containers().cpus());
    }
}

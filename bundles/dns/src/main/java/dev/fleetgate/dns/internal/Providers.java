package dev.fleetgate.dns.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Lazy;
import dev.fleetgate.dns.DnsProvider;

/**
 * The {@link DnsProvider} whiteboard, by type. Providers are bound as
 * {@link ComponentServiceObjects} and only got when used, so a provider may reference the
 * module's services without making a DS cycle.
 */
@Component(service = Providers.class)
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private record Entry(Object identity, Supplier<DnsProvider> provider) {}

    private final Map<String, Entry> byType = new ConcurrentHashMap<>();

    @Reference(
            service = DnsProvider.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindProvider")
    void bindProvider(ComponentServiceObjects<DnsProvider> service, Map<String, Object> props) {
        add(service, Lazy.once(service::getService), props);
    }

    void unbindProvider(ComponentServiceObjects<DnsProvider> service, Map<String, Object> props) {
        Object type = props.get(DnsProvider.TYPE);
        if (type instanceof String t) {
            byType.computeIfPresent(t, (k, e) -> e.identity() == service ? null : e);
        }
    }

    /** Registers a provider object directly (tests and embedding). */
    public void add(DnsProvider provider, String type) {
        add(provider, () -> provider, Map.of(DnsProvider.TYPE, type));
    }

    private void add(Object identity, Supplier<DnsProvider> provider, Map<String, Object> props) {
        Object type = props.get(DnsProvider.TYPE);
        if (!(type instanceof String t) || t.isBlank()) {
            LOG.warn("DNS provider without a {} property; ignored", DnsProvider.TYPE);
            return;
        }
        Entry previous = byType.put(t, new Entry(identity, provider));
        if (previous != null) {
            LOG.warn("A second DNS provider of type {} replaces the first", t);
        }
    }

    public Optional<DnsProvider> get(String type) {
        Entry e = byType.get(type);
        return e == null ? Optional.empty() : Optional.ofNullable(e.provider().get());
    }

    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }
}

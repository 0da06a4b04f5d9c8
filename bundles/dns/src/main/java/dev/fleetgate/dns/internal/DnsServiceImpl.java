package dev.fleetgate.dns.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsProvider;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsService;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.security.SecretBox;

/** {@link DnsService} over the configured zones and their providers. */
@Component(service = DnsService.class)
public final class DnsServiceImpl implements DnsService {
    private final ZoneStore zones;
    private final Providers providers;
    private final ZoneAccess access;

    @Activate
    public DnsServiceImpl(@Reference ZoneStore zones, @Reference Providers providers, @Reference SecretBox box) {
        this.zones = zones;
        this.providers = providers;
        this.access = new ZoneAccess(box);
    }

    @Override
    public Optional<String> zoneOf(String name) {
        return zoneFor(name, zones.list()).map(StoredZone::zone);
    }

    @Override
    public void apply(List<RecordChange> changes) throws DnsException {
        List<StoredZone> all = zones.list();
        Map<StoredZone, List<RecordChange>> byZone = new LinkedHashMap<>();
        for (RecordChange c : changes) {
            if (c.record().type() != RecordType.TXT) {
                throw new IllegalArgumentException("Only TXT records may be changed through DnsService, not "
                        + c.record().type() + " " + c.record().name());
            }
            StoredZone z = zoneFor(c.record().name(), all)
                    .orElseThrow(() -> new DnsException(
                            DnsException.Kind.CONFIG,
                            "No DNS zone configured for " + c.record().name()));
            byZone.computeIfAbsent(z, k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<StoredZone, List<RecordChange>> e : byZone.entrySet()) {
            provider(e.getKey()).apply(access.open(e.getKey()), e.getValue());
        }
    }

    @Override
    public List<DnsRecord> lookup(String name, RecordType type) throws DnsException {
        StoredZone z = zoneFor(name, zones.list())
                .orElseThrow(() -> new DnsException(DnsException.Kind.CONFIG, "No DNS zone configured for " + name));
        return provider(z).lookup(access.open(z), new DnsRecord(name, type, "", 0).name(), type);
    }

    private DnsProvider provider(StoredZone z) throws DnsException {
        return providers
                .get(z.provider())
                .orElseThrow(() -> new DnsException(
                        DnsException.Kind.CONFIG,
                        "DNS provider " + z.provider() + " of zone " + z.zone() + " is not available"));
    }

    private static Optional<StoredZone> zoneFor(String name, List<StoredZone> all) {
        String n = new DnsRecord(name, RecordType.TXT, "", 0).name();
        String base = n.startsWith("*.") ? n.substring(2) : n;
        return all.stream()
                .filter(z -> Names.inZone(base, z.zone()))
                .max((a, b) -> Integer.compare(a.zone().length(), b.zone().length()));
    }
}

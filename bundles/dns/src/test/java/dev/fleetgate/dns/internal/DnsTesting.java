package dev.fleetgate.dns.internal;

import javax.sql.DataSource;

/** Builds the module's stores and zone service for tests outside this package. */
public final class DnsTesting {
    private DnsTesting() {}

    /** The zone service and the record store on a migrated database. */
    public record Stores(ZoneService zones, RecordStore records) {}

    public static Stores stores(DataSource ds) throws Exception {
        Fixtures.migrate(ds);
        ZoneStore zones = new ZoneStore(ds);
        Providers providers = new Providers();
        providers.add(Rfc2136Provider.withTimeout(java.time.Duration.ofSeconds(2)), Rfc2136Provider.TYPE);
        return new Stores(
                new ZoneService(zones, providers, Fixtures.secretBox(), new Fixtures.Events()), new RecordStore(zones));
    }
}

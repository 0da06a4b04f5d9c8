package dev.fleetgate.agents.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.persistence.SchemaMigrator;

/** Brings the agents tables up to date; the stores depend on this service being there. */
@Component(service = AgentsSchema.class)
public final class AgentsSchema {
    public static final String MODULE = "agents";
    public static final String FOLDER = "db/agents";

    private final int version;

    @Activate
    public AgentsSchema(@Reference SchemaMigrator migrator, BundleContext context) {
        this.version = migrator.migrate(MODULE, context.getBundle(), FOLDER);
    }

    public int version() {
        return version;
    }
}

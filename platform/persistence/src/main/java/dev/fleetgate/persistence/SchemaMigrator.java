package dev.fleetgate.persistence;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/**
 * Applies each module's versioned migrations once, in order, under a PostgreSQL advisory
 * lock so that several cores starting together apply each change exactly once.
 *
 * <p>Migrations are SQL files named {@code V<n>__<description>.sql} in a folder of the
 * module's bundle (by convention {@code db/<module>}). A module calls
 * {@link #migrate(String, Bundle, String)} from its store component's activation, before
 * using its tables. An applied migration whose text later changes is reported as an error
 * rather than silently skipped.
 */
@ProviderType
public interface SchemaMigrator {

    /**
     * @param module name of the module; its versions are independent of other modules'
     * @param bundle the bundle that holds the SQL files
     * @param folder folder of the files in the bundle, e.g. {@code db/agents}
     * @return the module's schema version after migration
     */
    int migrate(String module, Bundle bundle, String folder);

    /** Same, with migrations already loaded. */
    int migrate(String module, List<Migration> migrations);
}

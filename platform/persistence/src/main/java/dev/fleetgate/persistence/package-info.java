/**
 * Persistence contract: the shared PostgreSQL {@code DataSource} (configured by
 * pax-jdbc-config from {@code etc/org.ops4j.datasource-fleetgate.cfg}) and versioned,
 * per-module schema migrations.
 */
@Export
@Version("1.3.0")
package dev.fleetgate.persistence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

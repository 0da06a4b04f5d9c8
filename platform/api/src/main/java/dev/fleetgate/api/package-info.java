/**
 * Fleetgate platform API: the types that cross every module.
 *
 * <p>Modules publish {@link dev.fleetgate.api.RestResource} JAX-RS resources and
 * {@link dev.fleetgate.api.DesiredStateContributor} services (whiteboard); they call
 * {@link dev.fleetgate.api.AgentDirectory}, {@link dev.fleetgate.api.DesiredStateService}
 * and {@link dev.fleetgate.api.TaskService}.
 */
@Export
@Version("2.3.0")
package dev.fleetgate.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

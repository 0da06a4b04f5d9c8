package dev.fleetgate.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Marker for JAX-RS root resources and providers published as OSGi services.
 *
 * <p>The platform's REST host mounts every service of this type under {@code /api/v1}
 * and removes it when the service goes away (its bundle stops). Every method needs a
 * valid access token unless annotated {@code @PermitAll}; {@code @RolesAllowed} narrows
 * it further. Methods that change state (POST, PUT, PATCH, DELETE) without
 * {@code @RolesAllowed} need the {@link Roles#OPERATOR} or {@link Roles#ADMIN} role.
 */
@ConsumerType
public interface RestResource {}

/**
 * Fleetgate security: users and their roles ({@link dev.fleetgate.security.UserService}) and
 * encryption of short secrets at rest ({@link dev.fleetgate.security.SecretBox}).
 *
 * <p>Access tokens are checked through {@link dev.fleetgate.api.Authenticator}, which this
 * bundle provides; nothing about tokens is exported from here.
 */
@Export
@Version("1.2.0")
package dev.fleetgate.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Implementation of the certificates module (not exported). acme4j is embedded (bnd -conditionalpackage). */
@Header(name = ModuleHeader.MODULE, value = "certificates")
package dev.fleetgate.certificates.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;

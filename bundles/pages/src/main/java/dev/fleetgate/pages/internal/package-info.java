/** Implementation of the pages module (not exported). mustache.java is embedded (bnd -conditionalpackage). */
@Header(name = ModuleHeader.MODULE, value = "pages")
package dev.fleetgate.pages.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;

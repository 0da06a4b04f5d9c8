package dev.fleetgate.rest.resources;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import dev.fleetgate.api.RestResource;
import dev.fleetgate.rest.internal.ModuleInfo;
import dev.fleetgate.rest.internal.ModuleLister;

/** {@code GET /modules}: the module bundles in this core (any role). */
@Component(service = RestResource.class)
@Path("modules")
public final class ModulesResource implements RestResource {
    private final BundleContext context;

    @Activate
    public ModulesResource(BundleContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ModuleInfo> modules() {
        return ModuleLister.list(context);
    }
}

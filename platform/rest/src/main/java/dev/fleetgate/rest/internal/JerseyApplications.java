package dev.fleetgate.rest.internal;

import java.util.Collection;
import java.util.function.Supplier;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

import dev.fleetgate.api.Authenticator;

/** The Jersey application: the platform's providers plus every mounted resource and provider. */
public final class JerseyApplications {
    private JerseyApplications() {
    }

    /**
     * @param instances     RestResource services: root resources and providers alike
     * @param authenticator the current authenticator, or null while there is none
     */
    public static ResourceConfig create(Collection<?> instances, Supplier<Authenticator> authenticator) {
        ResourceConfig rc = new ResourceConfig();
        rc.setApplicationName("fleetgate");
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true); // WADL needs JAXB
        rc.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        rc.property(ServerProperties.BV_FEATURE_DISABLE, true);
        // Write our problem bodies on errors instead of the servlet container's error page.
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.register(new JacksonJsonProvider(JsonMapper.create()));
        rc.register(new AuthFilter(authenticator));
        rc.register(new ApiExceptionMapper());
        rc.register(new JsonExceptionMapper());
        rc.register(new WebApplicationExceptionMapper());
        rc.register(new UnexpectedExceptionMapper());
        rc.registerInstances(instances.toArray());
        return rc;
    }
}

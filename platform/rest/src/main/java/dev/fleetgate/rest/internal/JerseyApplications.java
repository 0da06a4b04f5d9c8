package dev.fleetgate.rest.internal;

import java.util.Collection;
import java.util.function.Supplier;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

import dev.fleetgate.api.Authenticator;

/** The Jersey application: the platform's providers plus every mounted resource and provider. */
public final class JerseyApplications {
    private JerseyApplications() {}

    /** The default limit of a request body: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

    /** With the default body limit. */
    public static ResourceConfig create(Collection<?> instances, Supplier<Authenticator> authenticator) {
        return create(instances, authenticator, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param instances     RestResource services: root resources and providers alike
     * @param authenticator the current authenticator, or null while there is none
     * @param maxBodyBytes  the largest request body of a method without {@link dev.fleetgate.api.BodyLimit}
     */
    public static ResourceConfig create(
            Collection<?> instances, Supplier<Authenticator> authenticator, long maxBodyBytes) {
        ResourceConfig rc = new ResourceConfig();
        rc.setApplicationName("fleetgate");
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true); // WADL needs JAXB
        rc.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        rc.property(ServerProperties.BV_FEATURE_DISABLE, true);
        // Write our problem bodies on errors instead of the servlet container's error page.
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.register(new TextCheckingJsonProvider(JsonMapper.create()));
        rc.register(new BodyLimitFilter(maxBodyBytes));
        rc.register(new AuthFilter(authenticator));
        rc.register(new ApiExceptionMapper());
        rc.register(new JsonExceptionMapper());
        rc.register(new WebApplicationExceptionMapper());
        rc.register(new UnexpectedExceptionMapper());
        rc.registerInstances(instances.toArray());
        return rc;
    }
}

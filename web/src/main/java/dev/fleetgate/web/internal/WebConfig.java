package dev.fleetgate.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the web admin (PID {@code dev.fleetgate.web}). */
@ObjectClassDefinition(name = "Fleetgate web admin", description = "Serves the React admin at /")
public @interface WebConfig {

    @AttributeDefinition(description = "Content-Security-Policy header of index.html (empty: none)")
    String contentSecurityPolicy() default
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
}

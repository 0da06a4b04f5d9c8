package dev.fleetgate.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the REST host (PID {@code dev.fleetgate.rest}). */
@ObjectClassDefinition(name = "Fleetgate REST host", description = "Mounts RestResource services under /api/v1")
public @interface RestConfig {

    @AttributeDefinition(
            description = "Quiet time after a resource comes or goes before the application is rebuilt (ms)")
    long debounceMillis() default 50;

    @AttributeDefinition(description = "Longest wait for requests on a replaced application before it is destroyed (s)")
    long drainSeconds() default 30;

    @AttributeDefinition(
            min = "1024",
            description = "Largest request body of a method without its own @BodyLimit (bytes); "
                    + "larger bodies get 413 before they are parsed")
    long maxBodyBytes() default JerseyApplications.DEFAULT_MAX_BODY_BYTES;
}

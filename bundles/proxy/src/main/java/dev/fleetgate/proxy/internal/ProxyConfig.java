package dev.fleetgate.proxy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.proxy}. */
@ObjectClassDefinition(name = "Fleetgate proxy",
        description = "How the proxy module builds agents' proxy specs")
public @interface ProxyConfig {
    String PID = "dev.fleetgate.proxy";

    @AttributeDefinition(name = "Edge target port", min = "1", max = "65535",
            description = "Port on which edge agents reach the host agents' proxies (their HTTP port)")
    int edgeTargetPort() default 80;
}

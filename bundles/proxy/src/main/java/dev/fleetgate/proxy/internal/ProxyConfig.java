package dev.fleetgate.proxy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.proxy}. */
@ObjectClassDefinition(name = "Fleetgate proxy", description = "How the proxy module builds agents' proxy specs")
public @interface ProxyConfig {
    String PID = "dev.fleetgate.proxy";

    @AttributeDefinition(
            name = "Edge target port",
            min = "1",
            max = "65535",
            description = "Port on which edge agents reach the host agents' proxies (their HTTP port)")
    int edgeTargetPort() default 80;

    @AttributeDefinition(
            name = "Reserved target ports",
            description = "Comma-separated ports a static target on the agent's own host (loopback, localhost)"
                    + " may not use unless an admin sets allowUnsafeTargets: the agent's nginx status port, Karaf SSH,"
                    + " the core's HTTP(S), PostgreSQL, the Docker engine")
    String reservedTargetPorts() default TargetPolicy.DEFAULT_RESERVED_PORTS;
}

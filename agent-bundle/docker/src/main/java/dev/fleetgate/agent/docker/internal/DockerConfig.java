package dev.fleetgate.agent.docker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}: how the agent reaches Docker and runs replicas. */
@ObjectClassDefinition(id = DockerConfig.PID, name = "Fleetgate agent: Docker")
public @interface DockerConfig {

    String PID = "dev.fleetgate.agent.docker";

    @AttributeDefinition(description = "Docker Engine API endpoint (unix:///path or tcp://host:port)")
    String dockerHost() default "unix:///var/run/docker.sock";

    @AttributeDefinition(description = "First host port given to replicas")
    int portRangeStart() default 20000;

    @AttributeDefinition(description = "Last host port given to replicas")
    int portRangeEnd() default 29999;

    @AttributeDefinition(description = "Address replicas are reached at (and bridge ports are published on)")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(description = "Seconds between periodic reconcile passes")
    int reconcileIntervalSeconds() default 5;

    @AttributeDefinition(description = "Milliseconds between removing a replica from the upstream and stopping it")
    long drainMillis() default 2000;

    @AttributeDefinition(description = "Seconds Docker waits after SIGTERM before SIGKILL")
    int stopTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Owner label of the containers this agent manages (default: the agent id)")
    String owner() default "";
}

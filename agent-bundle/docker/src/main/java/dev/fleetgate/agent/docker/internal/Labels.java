package dev.fleetgate.agent.docker.internal;

/** Labels the agent puts on the replicas it runs. */
public final class Labels {

    public static final String SERVICE = "fleetgate.service";
    public static final String REPLICA = "fleetgate.replica";
    public static final String PORT = "fleetgate.port";
    public static final String SPEC = "fleetgate.spec";
    public static final String MANAGED = "fleetgate.managed";
    /** The agent (owner) that manages the replica: agents sharing a Docker engine leave each other's alone. */
    public static final String AGENT = "fleetgate.agent";

    public static final String SERVICE_NAME = "fleetgate.service.name";

    private Labels() {}
}

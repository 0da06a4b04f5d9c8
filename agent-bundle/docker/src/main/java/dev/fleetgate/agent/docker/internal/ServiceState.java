package dev.fleetgate.agent.docker.internal;

/** One desired service in {@code status.containers.services}. */
record ServiceState(String serviceId, int desired, int running, int ready, String state, String error) {}

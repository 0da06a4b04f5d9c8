package dev.fleetgate.proxy.internal;

import java.util.List;

/**
 * How well a service serves, derived in one place from where it stands on its agents
 * ({@link ServiceStatus}): its configuration state per agent, its targets' health as the
 * agents probe it and, for managed containers, its ready replicas.
 *
 * <ul>
 * <li>{@code UNKNOWN}: nothing known yet — no agent assigned, or no agent has reported a
 * target's health nor its replicas.</li>
 * <li>{@code DOWN}: every reported target is unhealthy, no replica is ready while some are
 * desired, or every agent failed the configuration without ever applying one.</li>
 * <li>{@code DEGRADED}: some targets are unhealthy, fewer replicas are ready than desired,
 * or an agent failed the current configuration (it keeps serving its last good one).</li>
 * <li>{@code HEALTHY}: otherwise.</li>
 * </ul>
 * The 5xx rate is not taken into account (the proxy bundle does not read metrics).
 */
public final class ServiceHealth {
    public static final String HEALTHY = "HEALTHY";
    public static final String DEGRADED = "DEGRADED";
    public static final String DOWN = "DOWN";
    public static final String UNKNOWN = "UNKNOWN";

    private ServiceHealth() {}

    /**
     * @param agents       the service's state on each assigned agent
     * @param targets      its targets; {@code healthy == null} where no agent reported one
     * @param withReplicas whether the service runs managed containers (then each agent's
     *                     {@code containers} summary counts)
     */
    public static String of(
            List<ServiceStatus.AgentState> agents, List<ServiceStatus.TargetState> targets, boolean withReplicas) {
        if (agents.isEmpty()) {
            return UNKNOWN;
        }
        long reportedTargets = targets.stream().filter(t -> t.healthy() != null).count();
        long unhealthy =
                targets.stream().filter(t -> Boolean.FALSE.equals(t.healthy())).count();
        int desired = 0;
        int ready = 0;
        boolean replicasReported = false;
        if (withReplicas) {
            for (ServiceStatus.AgentState a : agents) {
                ContainerReports.Summary c = a.containers();
                if (c != null) {
                    desired += c.desired();
                    ready += c.ready();
                    replicasReported |= !"PENDING".equals(c.state()) || c.running() > 0 || c.ready() > 0;
                }
            }
        }
        long failed = agents.stream().filter(a -> "FAILED".equals(a.state())).count();
        boolean neverApplied = agents.stream().allMatch(a -> a.appliedRevision() == null);
        if (failed == agents.size() && neverApplied) {
            return DOWN;
        }
        if (reportedTargets == 0 && !replicasReported) {
            return UNKNOWN;
        }
        if (reportedTargets > 0 && unhealthy == reportedTargets) {
            return DOWN;
        }
        if (withReplicas && replicasReported && desired > 0 && ready == 0) {
            return DOWN;
        }
        if (unhealthy > 0 || failed > 0 || (withReplicas && ready < desired)) {
            return DEGRADED;
        }
        return HEALTHY;
    }
}

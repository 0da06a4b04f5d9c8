package dev.fleetgate.proxy.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.proxy.ServiceDirectory.TlsSetting;

/**
 * A service's configuration after validation and normalisation: what is stored (JSONB)
 * and, with id, revision and times, what the REST API answers.
 */
public record ServiceConfig(
        String name,
        List<String> domains,
        List<String> agentIds,
        Upstream upstream,
        Timeouts timeouts,
        String maxBodySize,
        Map<String, String> requestHeaders,
        Map<String, String> responseHeaders,
        boolean websockets,
        Containers containers,
        boolean allowUnsafeTargets,
        TlsSetting tls) {

    public static final String DEFAULT_MAX_BODY_SIZE = "10m";
    public static final int DEFAULT_KEEPALIVE = 32;

    @JsonCreator
    public ServiceConfig {
        // Documents stored before tls existed read as off.
        tls = tls == null ? TlsSetting.OFF : tls;
        domains = List.copyOf(domains);
        agentIds = List.copyOf(agentIds);
        requestHeaders = Maps.sorted(requestHeaders);
        responseHeaders = Maps.sorted(responseHeaders);
    }

    /** A service without TLS. */
    public ServiceConfig(
            String name,
            List<String> domains,
            List<String> agentIds,
            Upstream upstream,
            Timeouts timeouts,
            String maxBodySize,
            Map<String, String> requestHeaders,
            Map<String, String> responseHeaders,
            boolean websockets,
            Containers containers,
            boolean allowUnsafeTargets) {
        this(
                name,
                domains,
                agentIds,
                upstream,
                timeouts,
                maxBodySize,
                requestHeaders,
                responseHeaders,
                websockets,
                containers,
                allowUnsafeTargets,
                TlsSetting.OFF);
    }

    /**
     * A service routing {@code domains} to {@code targets} with every other setting at its default, as a body
     * naming only these fields would be read (the shell's {@code service-add}).
     */
    public static ServiceConfig of(String name, List<String> domains, List<String> agentIds, List<Target> targets) {
        return new ServiceConfig(
                name,
                domains,
                agentIds,
                new Upstream(targets, "round_robin", DEFAULT_KEEPALIVE, null),
                Timeouts.DEFAULT,
                DEFAULT_MAX_BODY_SIZE,
                Map.of(),
                Map.of(),
                false,
                null,
                false);
    }

    /** The upstream: static targets (and/or managed containers, see {@link Containers}). */
    public record Upstream(List<Target> targets, String lbMethod, int keepalive, HealthCheck healthCheck) {
        public Upstream {
            targets = List.copyOf(targets);
        }
    }

    public record Target(String host, int port, int weight, Integer maxFails, Integer failTimeoutSeconds) {}

    public record HealthCheck(String path, int intervalSeconds, int timeoutSeconds, int fall, int rise) {}

    public record Timeouts(int connectSeconds, int readSeconds, int sendSeconds) {
        public static final Timeouts DEFAULT = new Timeouts(5, 60, 60);
    }

    /**
     * Managed containers: each placed agent runs {@code replicas} of them and adds the ready
     * ones to the service's upstream (see {@link ContainersSection}).
     *
     * @param command       a string (run by the image's shell) or an array of strings; {@code ${PORT}}
     *                      is replaced by the replica's port; null = the image's default
     * @param port          the port the container listens on (bridge network; ignored with host networking,
     *                      where the agent picks each replica's port and passes it in {@code PORT})
     * @param cpus          CPU limit in cores, or null for none
     * @param memoryBytes   memory limit, or null for none
     * @param restartPolicy Docker's restart policy: no (default: the agent replaces dead replicas),
     *                      on-failure, always, unless-stopped
     * @param network       host (default) or bridge
     * @param user          the user replicas run as ({@code uid[:gid]} or {@code name[:group]}), null = the image's
     * @param readOnlyRootFilesystem replicas get a read-only root filesystem (and a tmpfs on /tmp)
     * @param capAdd        capabilities added back after the agent drops them all (admins only, from an allowlist)
     * @param pidsLimit     most processes per replica, null = the agent's default (512)
     * @param secretEnv     secret variables: stored sealed by {@code SecretBox} (after validation, before
     *                      {@link ProxyServices} seals them: the new plaintext, or null to keep the stored value),
     *                      never answered (reads show {@code {"set": true}}), opened only for the agents' section
     */
    public record Containers(
            String image,
            JsonNode command,
            Map<String, String> env,
            Integer port,
            int replicas,
            Double cpus,
            Long memoryBytes,
            String restartPolicy,
            String network,
            String user,
            boolean readOnlyRootFilesystem,
            List<String> capAdd,
            Integer pidsLimit,
            Map<String, String> secretEnv) {
        public static final String DEFAULT_RESTART = "no";
        public static final String DEFAULT_NETWORK = "host";

        public Containers {
            env = Maps.sorted(env);
            command = command == null || command.isNull() || command.isMissingNode() ? null : command;
            // Documents stored before these fields existed read as the defaults.
            restartPolicy = restartPolicy == null ? DEFAULT_RESTART : restartPolicy;
            network = network == null ? DEFAULT_NETWORK : network;
            capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
            secretEnv = secretEnv == null || secretEnv.isEmpty()
                    ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(secretEnv));
        }

        /** The same containers with other (sealed) secret variables. */
        public Containers withSecretEnv(Map<String, String> sealed) {
            return with(replicas, sealed);
        }

        /** The same containers with another replica count. */
        public Containers withReplicas(int n) {
            return with(n, secretEnv);
        }

        private Containers with(int n, Map<String, String> sealed) {
            return new Containers(
                    image,
                    command,
                    env,
                    port,
                    n,
                    cpus,
                    memoryBytes,
                    restartPolicy,
                    network,
                    user,
                    readOnlyRootFilesystem,
                    capAdd,
                    pidsLimit,
                    sealed);
        }
    }

    /** The same service with other containers. */
    public ServiceConfig withContainers(Containers c) {
        return with(c, tls);
    }

    /** The same service with another {@code tls}. */
    public ServiceConfig withTls(TlsSetting t) {
        return with(containers, t);
    }

    /** The same service with another replica count (its containers must exist). */
    public ServiceConfig withReplicas(int n) {
        return with(containers.withReplicas(n), tls);
    }

    private ServiceConfig with(Containers c, TlsSetting t) {
        return new ServiceConfig(
                name,
                domains,
                agentIds,
                upstream,
                timeouts,
                maxBodySize,
                requestHeaders,
                responseHeaders,
                websockets,
                c,
                allowUnsafeTargets,
                t);
    }
}

package dev.fleetgate.agent.docker.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the engine's create request ({@code POST /containers/create}) for one replica. */
public final class ReplicaFactory {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String owner;
    private final String bindAddress;

    public ReplicaFactory(String owner, String bindAddress) {
        this.owner = owner;
        this.bindAddress = bindAddress;
    }

    /** @return {@code fg-<serviceName>-<slot>-<6 hex>} */
    public static String name(ServiceSpec spec, int slot) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return "fg-" + spec.serviceName() + "-" + slot + "-" + HexFormat.of().formatHex(suffix);
    }

    public ObjectNode body(ServiceSpec spec, int slot, int hostPort) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int containerPort = spec.containerPort(hostPort);
        ObjectNode body = f.objectNode();
        body.put("Image", spec.image());
        if (spec.command() != null) {
            ArrayNode cmd = body.putArray("Cmd");
            spec.command().forEach(arg -> cmd.add(arg.replace("${PORT}", Integer.toString(containerPort))));
        }
        ArrayNode env = body.putArray("Env");
        spec.env().forEach((k, v) -> {
            if (!"PORT".equals(k)) {
                env.add(k + "=" + v);
            }
        });
        env.add("PORT=" + containerPort);
        env.add("FLEETGATE_SERVICE=" + spec.serviceName());
        env.add("FLEETGATE_REPLICA=" + slot);
        ObjectNode labels = body.putObject("Labels");
        labels.put(Labels.SERVICE, spec.serviceId());
        labels.put(Labels.SERVICE_NAME, spec.serviceName());
        labels.put(Labels.REPLICA, Integer.toString(slot));
        labels.put(Labels.PORT, Integer.toString(hostPort));
        labels.put(Labels.SPEC, spec.specHash());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.AGENT, owner);

        if (spec.user() != null) {
            body.put("User", spec.user());
        }
        ObjectNode host = body.putObject("HostConfig");
        host.put("Init", true);
        // Least privilege by default: no capability (the spec may add some back from an allowlist), no setuid
        // escalation, a bounded number of processes, the root filesystem read-only when asked (with a /tmp).
        host.putArray("CapDrop").add("ALL");
        if (!spec.capAdd().isEmpty()) {
            ArrayNode caps = host.putArray("CapAdd");
            spec.capAdd().forEach(caps::add);
        }
        host.putArray("SecurityOpt").add("no-new-privileges");
        host.put("PidsLimit", spec.pidsLimit());
        if (spec.readOnlyRootFilesystem()) {
            host.put("ReadonlyRootfs", true);
            host.putObject("Tmpfs").put("/tmp", "rw,noexec,nosuid,nodev,size=64m");
        }
        host.put("NetworkMode", spec.network());
        if (spec.cpus() != null) {
            host.put("NanoCpus", Math.round(spec.cpus() * 1e9));
        }
        if (spec.memoryBytes() != null) {
            host.put("Memory", spec.memoryBytes());
        }
        ObjectNode restart = host.putObject("RestartPolicy");
        restart.put("Name", "no".equals(spec.restartPolicy()) ? "" : spec.restartPolicy());
        if ("bridge".equals(spec.network())) {
            String key = spec.port() + "/tcp";
            body.putObject("ExposedPorts").putObject(key);
            ObjectNode binding = host.putObject("PortBindings").putArray(key).addObject();
            binding.put("HostIp", bindAddress);
            binding.put("HostPort", Integer.toString(hostPort));
        }
        return body;
    }
}

package dev.fleetgate.proxy.internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.input.Fields;

/**
 * Validates a service's {@code containers} object (the managed replicas the agents run).
 * Values go to the Docker Engine API as JSON, never to nginx or a shell, so command and
 * environment values only refuse control characters.
 */
final class ContainersValidator {
    static final Set<String> RESTART_POLICIES = Set.of("no", "on-failure", "always", "unless-stopped");
    static final Set<String> NETWORKS = Set.of("host", "bridge");
    static final int MAX_REPLICAS = 100;
    /** Capabilities an admin may add back (the agent drops all of them from every replica). */
    static final Set<String> CAPABILITIES =
            Set.of("NET_BIND_SERVICE", "CHOWN", "SETUID", "SETGID", "DAC_OVERRIDE", "FOWNER", "KILL");

    private static final Pattern USER =
            Pattern.compile("([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31})(:([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31}))?");
    static final long MIN_MEMORY = 6L << 20; // Docker refuses less than 6 MiB
    static final long MAX_MEMORY = 1L << 40;
    static final BigDecimal MIN_CPUS = new BigDecimal("0.01");
    static final BigDecimal MAX_CPUS = new BigDecimal("64");
    private static final int MAX_ENV = 100;
    private static final Pattern MEMORY = Pattern.compile("(\\d{1,13})([bkmg]?)");

    private ContainersValidator() {}

    static ServiceConfig.Containers containers(Fields r, JsonNode c) {
        String image = r.text(c, "image", "containers.image", true);
        if (image != null && !SafeText.isImage(image)) {
            r.error("containers.image", "is not a valid image reference (e.g. registry:5000/team/app:1.2)");
        }
        JsonNode command = command(r, c.get("command"));
        Map<String, String> env = env(r, c);
        Integer port = r.integer(c, "port", "containers.port", 1, 65535, null);
        Integer replicas = r.integer(c, "replicas", "containers.replicas", 0, MAX_REPLICAS, 1);
        Double cpus = cpus(r, c.get("cpus"));
        Long memory = memory(r, c);
        String restart = choice(r, c, "restartPolicy", RESTART_POLICIES, ServiceConfig.Containers.DEFAULT_RESTART);
        String network = choice(r, c, "network", NETWORKS, ServiceConfig.Containers.DEFAULT_NETWORK);
        if ("bridge".equals(network) && port == null && Fields.absent(c.get("port"))) {
            r.error("containers.port", "is required with the bridge network (the port the container listens on)");
        }
        String user = r.text(c, "user", "containers.user", false);
        if (user != null && !USER.matcher(user).matches()) {
            r.error("containers.user", "must be uid[:gid] or name[:group] (e.g. 1000:1000)");
        }
        boolean readOnly = r.bool(c, "readOnlyRootFilesystem", "containers.readOnlyRootFilesystem", false);
        List<String> capAdd = capAdd(r, c.get("capAdd"));
        Integer pids = r.integer(c, "pidsLimit", "containers.pidsLimit", 16, 1_000_000, null);
        Map<String, String> secretEnv = secretEnv(r, c, env);
        return new ServiceConfig.Containers(
                image,
                command,
                env,
                port,
                replicas == null ? 1 : replicas,
                cpus,
                memory,
                restart,
                network,
                user,
                readOnly,
                capAdd,
                pids,
                secretEnv);
    }

    /**
     * {@code secretEnv}: name → the new value (a string), or {@code null} / {@code {"set": true}} (what reads
     * answer) to keep the stored value. @return name → plaintext, or null for "keep"
     */
    private static Map<String, String> secretEnv(Fields r, JsonNode c, Map<String, String> env) {
        JsonNode secrets = r.object(c, "secretEnv", "containers.secretEnv", false);
        Map<String, String> out = new LinkedHashMap<>();
        if (secrets == null) {
            return out;
        }
        if (secrets.size() + env.size() > MAX_ENV) {
            r.error("containers.secretEnv", "env and secretEnv must have at most " + MAX_ENV + " variables together");
            return out;
        }
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = secrets.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String field = "containers.secretEnv." + e.getKey();
            if (!SafeText.isEnvName(e.getKey())) {
                r.error(
                        "containers.secretEnv",
                        "variable #" + (i + 1) + ": the name must match [A-Za-z_][A-Za-z0-9_]*");
            } else if (env.containsKey(e.getKey())) {
                r.error(field, "is also in containers.env");
            } else if (v.isNull()
                    || v.isObject() && v.size() == 1 && v.path("set").asBoolean(false)) {
                out.put(e.getKey(), null);
            } else if (!v.isTextual() || !SafeText.isPlainText(v.asText(), 4096)) {
                r.error(
                        field,
                        "must be a string without control characters, or {\"set\": true} to keep the stored value");
            } else {
                out.put(e.getKey(), v.asText());
            }
        }
        return out;
    }

    private static List<String> capAdd(Fields r, JsonNode n) {
        if (Fields.absent(n)) {
            return List.of();
        }
        if (!n.isArray() || n.size() > CAPABILITIES.size()) {
            r.error("containers.capAdd", "must be an array of capabilities");
            return List.of();
        }
        java.util.TreeSet<String> caps = new java.util.TreeSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode cap = n.get(i);
            if (!cap.isTextual() || !CAPABILITIES.contains(cap.asText())) {
                r.error(
                        "containers.capAdd[" + i + "]",
                        "must be one of " + String.join(", ", new java.util.TreeSet<>(CAPABILITIES)));
            } else {
                caps.add(cap.asText());
            }
        }
        return List.copyOf(caps);
    }

    /** @return whether {@code n} is a valid replica count */
    static boolean isReplicas(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0 && n.asInt() <= MAX_REPLICAS;
    }

    private static Double cpus(Fields r, JsonNode n) {
        if (Fields.absent(n)) {
            return null;
        }
        if (!n.isNumber()
                || !Double.isFinite(n.asDouble())
                || n.decimalValue().compareTo(MIN_CPUS) < 0
                || n.decimalValue().compareTo(MAX_CPUS) > 0) {
            r.error("containers.cpus", "must be a number from 0.01 to 64 (CPU cores, e.g. 0.5)");
            return null;
        }
        return n.asDouble();
    }

    /** {@code memory} ("256m", "1g" or bytes) or, as GET answers it, {@code memoryBytes}. */
    private static Long memory(Fields r, JsonNode c) {
        JsonNode m = c.get("memory");
        JsonNode b = c.get("memoryBytes");
        Long fromMemory = Fields.absent(m) ? null : size(r, m, "containers.memory");
        Long fromBytes = Fields.absent(b) ? null : size(r, b, "containers.memoryBytes");
        if (fromMemory != null && fromBytes != null && !fromMemory.equals(fromBytes)) {
            r.error("containers.memory", "differs from containers.memoryBytes: give one of them");
            return null;
        }
        return fromMemory != null ? fromMemory : fromBytes;
    }

    private static Long size(Fields r, JsonNode n, String field) {
        Long bytes = null;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            bytes = n.asLong();
        } else if (n.isTextual()) {
            Matcher m = MEMORY.matcher(n.asText().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                int shift =
                        switch (m.group(2)) {
                            case "k" -> 10;
                            case "m" -> 20;
                            case "g" -> 30;
                            default -> 0;
                        };
                long v = Long.parseLong(m.group(1));
                bytes = v > (MAX_MEMORY >> shift) ? MAX_MEMORY + 1 : v << shift;
            }
        }
        if (bytes == null || bytes < MIN_MEMORY || bytes > MAX_MEMORY) {
            r.error(field, "must be a size from 6m to 1024g: bytes, or a number with unit k, m or g (e.g. 256m)");
            return null;
        }
        return bytes;
    }

    private static String choice(Fields r, JsonNode c, String name, Set<String> allowed, String dflt) {
        String v = r.text(c, name, "containers." + name, false);
        if (v == null) {
            return dflt;
        }
        if (!allowed.contains(v)) {
            r.error(
                    "containers." + name,
                    "must be one of "
                            + String.join(", ", allowed.stream().sorted().toList()));
            return dflt;
        }
        return v;
    }

    private static JsonNode command(Fields r, JsonNode cmd) {
        if (Fields.absent(cmd)) {
            return null;
        }
        if (cmd.isTextual()) {
            if (!SafeText.isPlainText(cmd.asText(), 4096)) {
                r.error("containers.command", "must be at most 4096 characters without control characters");
            }
            return cmd;
        }
        if (!cmd.isArray() || cmd.size() > 64) {
            r.error("containers.command", "must be a string or an array of at most 64 strings");
            return null;
        }
        for (int i = 0; i < cmd.size(); i++) {
            JsonNode a = cmd.get(i);
            if (!a.isTextual() || !SafeText.isPlainText(a.asText(), 4096)) {
                r.error("containers.command[" + i + "]", "must be a string without control characters");
            }
        }
        return cmd;
    }

    private static Map<String, String> env(Fields r, JsonNode c) {
        JsonNode env = r.object(c, "env", "containers.env", false);
        Map<String, String> out = new LinkedHashMap<>();
        if (env == null) {
            return out;
        }
        if (env.size() > MAX_ENV) {
            r.error("containers.env", "must have at most " + MAX_ENV + " variables");
            return out;
        }
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!SafeText.isEnvName(e.getKey())) {
                r.error("containers.env", "variable #" + (i + 1) + ": the name must match [A-Za-z_][A-Za-z0-9_]*");
            } else if (!e.getValue().isTextual()
                    || !SafeText.isPlainText(e.getValue().asText(), 4096)) {
                r.error("containers.env." + e.getKey(), "must be a string without control characters");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }
}

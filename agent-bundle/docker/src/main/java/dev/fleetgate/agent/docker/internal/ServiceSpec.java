package dev.fleetgate.agent.docker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One service of the {@code containers} section, validated: nothing the core sends reaches
 * the engine unchecked (names, image references, env keys, health check paths).
 */
public record ServiceSpec(
        String serviceId,
        String serviceName,
        long serviceRevision,
        String image,
        List<String> command,
        Map<String, String> env,
        int port,
        int replicas,
        Double cpus,
        Long memoryBytes,
        String restartPolicy,
        String network,
        HealthCheck healthCheck,
        String user,
        boolean readOnlyRootFilesystem,
        List<String> capAdd,
        int pidsLimit) {

    /** Active check a replica must pass once before it takes traffic. */
    public record HealthCheck(String path, int intervalSeconds, int timeoutSeconds, int fall, int rise) {}

    public static final int MAX_REPLICAS = 100;
    /** Capabilities a spec may add back after {@code CapDrop: ["ALL"]} (the core lets only admins add any). */
    public static final Set<String> CAPABILITIES =
            Set.of("NET_BIND_SERVICE", "CHOWN", "SETUID", "SETGID", "DAC_OVERRIDE", "FOWNER", "KILL");

    public static final int DEFAULT_PIDS_LIMIT = 512;
    /** {@code uid}, {@code uid:gid}, {@code name} or {@code name:group}. */
    static final Pattern USER =
            Pattern.compile("([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31})(:([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31}))?");

    static final Set<String> RESTART_POLICIES = Set.of("no", "on-failure", "always", "unless-stopped");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,255}");

    /** Parses the whole section body {@code {"services": [...]}}. */
    public static Map<String, ServiceSpec> parseAll(JsonNode body) {
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        JsonNode list = body == null ? null : body.get("services");
        if (list == null || list.isNull()) {
            return services;
        }
        require(list.isArray(), "services", "must be an array");
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ServiceSpec spec = parse(list.get(i), "services[" + i + "]");
            require(services.put(spec.serviceId(), spec) == null, "services[" + i + "].serviceId", "duplicate");
            require(names.add(spec.serviceName()), "services[" + i + "].serviceName", "duplicate");
        }
        return services;
    }

    static ServiceSpec parse(JsonNode s, String at) {
        require(s != null && s.isObject(), at, "must be an object");
        String id = text(s, "serviceId", at, null);
        require(id != null && ID.matcher(id).matches(), at + ".serviceId", "must be an id");
        String name = text(s, "serviceName", at, null);
        require(name != null && NAME.matcher(name).matches(), at + ".serviceName", "must match " + NAME.pattern());
        String image = text(s, "image", at, null);
        require(
                image != null && IMAGE.matcher(image).matches() && !image.contains(".."),
                at + ".image",
                "must be an image reference");
        List<String> command = command(s.get("command"), at + ".command");
        Map<String, String> env = env(s.get("env"), at + ".env");
        int port = integer(s, "port", at, 8080, 1, 65535);
        int replicas = integer(s, "replicas", at, 1, 0, MAX_REPLICAS);
        Double cpus = null;
        if (s.hasNonNull("cpus")) {
            require(s.get("cpus").isNumber(), at + ".cpus", "must be a number");
            cpus = s.get("cpus").asDouble();
            require(cpus >= 0.01 && cpus <= 1024, at + ".cpus", "must be 0.01..1024");
        }
        Long memory = null;
        if (s.hasNonNull("memoryBytes")) {
            require(s.get("memoryBytes").canConvertToLong(), at + ".memoryBytes", "must be an integer");
            memory = s.get("memoryBytes").asLong();
            require(memory >= 6L * 1024 * 1024, at + ".memoryBytes", "must be at least 6 MiB");
        }
        String restart = text(s, "restartPolicy", at, "no");
        require(RESTART_POLICIES.contains(restart), at + ".restartPolicy", "must be one of " + RESTART_POLICIES);
        String network = text(s, "network", at, "host");
        require("host".equals(network) || "bridge".equals(network), at + ".network", "must be host or bridge");
        String user = text(s, "user", at, null);
        require(user == null || USER.matcher(user).matches(), at + ".user", "must be uid[:gid] or name[:group]");
        JsonNode ro = s.get("readOnlyRootFilesystem");
        require(ro == null || ro.isNull() || ro.isBoolean(), at + ".readOnlyRootFilesystem", "must be a boolean");
        List<String> caps = capAdd(s.get("capAdd"), at + ".capAdd");
        int pids = integer(s, "pidsLimit", at, DEFAULT_PIDS_LIMIT, 16, 1_000_000);
        return new ServiceSpec(
                id,
                name,
                s.path("serviceRevision").asLong(0),
                image,
                command,
                env,
                port,
                replicas,
                cpus,
                memory,
                restart,
                network,
                healthCheck(s.get("healthCheck"), at + ".healthCheck"),
                user,
                ro != null && ro.asBoolean(),
                caps,
                pids);
    }

    private static List<String> capAdd(JsonNode c, String at) {
        if (c == null || c.isNull()) {
            return List.of();
        }
        require(c.isArray() && c.size() <= CAPABILITIES.size(), at, "must be an array of capabilities");
        java.util.TreeSet<String> caps = new java.util.TreeSet<>();
        for (JsonNode cap : c) {
            require(
                    cap.isTextual() && CAPABILITIES.contains(cap.asText()),
                    at,
                    "must be among " + new java.util.TreeSet<>(CAPABILITIES));
            caps.add(cap.asText());
        }
        return List.copyOf(caps);
    }

    private static List<String> command(JsonNode c, String at) {
        if (c == null || c.isNull()) {
            return null;
        }
        List<String> args = new ArrayList<>();
        if (c.isTextual()) {
            // a plain string is split on blanks: no shell is ever involved
            for (String part : c.asText().trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    args.add(part);
                }
            }
        } else {
            require(c.isArray(), at, "must be an array of strings");
            for (JsonNode arg : c) {
                require(arg.isTextual(), at, "must be an array of strings");
                args.add(arg.asText());
            }
        }
        require(!args.isEmpty() && args.size() <= 128, at, "must have 1..128 arguments");
        for (String arg : args) {
            require(arg.length() <= 4096 && arg.indexOf('\0') < 0, at, "argument too long or with NUL");
        }
        return List.copyOf(args);
    }

    private static Map<String, String> env(JsonNode e, String at) {
        Map<String, String> env = new TreeMap<>();
        if (e == null || e.isNull()) {
            return Collections.unmodifiableMap(env);
        }
        require(e.isObject() && e.size() <= 200, at, "must be an object of at most 200 strings");
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            require(ENV_KEY.matcher(entry.getKey()).matches(), at + "." + entry.getKey(), "invalid variable name");
            require(
                    entry.getValue().isValueNode() && !entry.getValue().isNull(),
                    at + "." + entry.getKey(),
                    "must be a string");
            String value = entry.getValue().asText();
            require(
                    value.length() <= 8192 && value.indexOf('\0') < 0,
                    at + "." + entry.getKey(),
                    "too long or with NUL");
            env.put(entry.getKey(), value);
        }
        return Collections.unmodifiableMap(env);
    }

    private static HealthCheck healthCheck(JsonNode h, String at) {
        if (h == null || h.isNull()) {
            return null;
        }
        require(h.isObject(), at, "must be an object");
        String path = text(h, "path", at, "/");
        require(PATH.matcher(path).matches(), at + ".path", "must be an absolute path");
        return new HealthCheck(
                path,
                integer(h, "intervalSeconds", at, 5, 1, 3600),
                integer(h, "timeoutSeconds", at, 2, 1, 60),
                integer(h, "fall", at, 3, 1, 100),
                integer(h, "rise", at, 2, 1, 100));
    }

    private static String text(JsonNode s, String field, String at, String fallback) {
        JsonNode v = s.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        require(v.isTextual(), at + "." + field, "must be a string");
        return v.asText();
    }

    private static int integer(JsonNode s, String field, String at, int fallback, int min, int max) {
        JsonNode v = s.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        require(
                v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= min && v.asInt() <= max,
                at + "." + field,
                "must be an integer " + min + ".." + max);
        return v.asInt();
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + message);
        }
    }

    /** @return the port the process listens on inside the container: the host port with host networking */
    public int containerPort(int hostPort) {
        return "host".equals(network) ? hostPort : port;
    }

    /**
     * Hash of what a replica is made of (label {@code fleetgate.spec}): a different hash means
     * the replica must be replaced. Replica count, revision, name and health check are not part of it.
     */
    public String specHash() {
        StringBuilder s = new StringBuilder();
        s.append(image)
                .append('\0')
                .append(command == null ? "-" : String.join("\u0001", command))
                .append('\0');
        env.forEach((k, v) -> s.append(k).append('=').append(v).append('\u0001'));
        s.append('\0')
                .append(port)
                .append('\0')
                .append(cpus)
                .append('\0')
                .append(memoryBytes)
                .append('\0')
                .append(restartPolicy)
                .append('\0')
                .append(network)
                // hardening (CapDrop ALL, no-new-privileges since "h1"): replicas created before are replaced
                .append("\0h1\0")
                .append(user)
                .append('\0')
                .append(readOnlyRootFilesystem)
                .append('\0')
                .append(String.join(",", capAdd))
                .append('\0')
                .append(pidsLimit);
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

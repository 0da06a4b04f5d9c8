package dev.fleetgate.agent.internal;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The agent's settings, read from the framework properties the launcher sets.
 *
 * @param core     the core's base URL, without trailing slash
 * @param token    the enrolment token, or {@code null} (only needed for the first start)
 * @param name     the agent name (defaults to the host name)
 * @param hostname this machine's host name
 * @param role     {@code host} or {@code edge}
 * @param stateDir where the agent keeps its identity and deployed bundles
 * @param address  where this agent's proxy is reached
 * @param version  the agent's version
 * @param coreFingerprint the core certificate's SHA-256 pin given at start ({@code sha256:<hex>}), or {@code null}
 */
public record AgentSettings(
        URI core,
        String token,
        String name,
        String hostname,
        String role,
        Path stateDir,
        String address,
        String version,
        String coreFingerprint) {

    public static final String CORE = "fleetgate.agent.core";
    public static final String TOKEN = "fleetgate.agent.token";
    public static final String NAME = "fleetgate.agent.name";
    public static final String ROLE = "fleetgate.agent.role";
    public static final String STATE_DIR = "fleetgate.agent.stateDir";
    public static final String ADDRESS = "fleetgate.agent.address";
    public static final String VERSION = "fleetgate.agent.version";
    public static final String CORE_FINGERPRINT = "fleetgate.agent.coreFingerprint";

    /**
     * Reads the settings.
     *
     * @param properties a property lookup, e.g. {@code BundleContext::getProperty}
     * @throws IllegalArgumentException when a property is missing or invalid
     */
    public static AgentSettings from(Function<String, String> properties) {
        String core = required(properties, CORE);
        URI coreUri = URI.create(core.endsWith("/") ? core.substring(0, core.length() - 1) : core);
        if (!("http".equals(coreUri.getScheme()) || "https".equals(coreUri.getScheme())) || coreUri.getHost() == null) {
            throw new IllegalArgumentException(CORE + " must be an http(s) URL: " + core);
        }
        if ("http".equals(coreUri.getScheme()) && !CorePin.loopback(coreUri)) {
            throw new IllegalArgumentException(CORE + ": plain http:// only for a core on this machine (127.0.0.1, ::1,"
                    + " localhost); use https:// with --core-fingerprint: " + core);
        }
        String fingerprint = blankToNull(properties.apply(CORE_FINGERPRINT));
        if (fingerprint != null) {
            fingerprint = CorePin.normalize(fingerprint);
        }
        String hostname = localHostname();
        String name = blankToNull(properties.apply(NAME));
        String role = blankToNull(properties.apply(ROLE));
        if (role == null) {
            role = "host";
        } else if (!role.equals("host") && !role.equals("edge")) {
            throw new IllegalArgumentException(ROLE + " must be host or edge: " + role);
        }
        String address = blankToNull(properties.apply(ADDRESS));
        String version = blankToNull(properties.apply(VERSION));
        return new AgentSettings(
                coreUri,
                blankToNull(properties.apply(TOKEN)),
                name == null ? nameFrom(hostname) : name,
                hostname,
                role,
                Path.of(required(properties, STATE_DIR)).toAbsolutePath(),
                address == null ? "127.0.0.1" : address,
                version == null ? "0.0.0" : version,
                fingerprint);
    }

    /** Turns a host name into a valid agent name ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,62}}). */
    static String nameFrom(String hostname) {
        String cleaned = hostname.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (cleaned.isEmpty()) {
            return "agent";
        }
        return cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
    }

    private static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    private static String required(Function<String, String> properties, String key) {
        String value = blankToNull(properties.apply(key));
        if (value == null) {
            throw new IllegalArgumentException("framework property " + key + " is not set");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

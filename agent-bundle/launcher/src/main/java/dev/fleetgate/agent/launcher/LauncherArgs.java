package dev.fleetgate.agent.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The launcher's options. Each comes from the command line, else from the environment.
 *
 * @param core     the core URL (required)
 * @param token    the enrolment token (only needed for the first start)
 * @param name     the agent name, or {@code null} for the host name
 * @param stateDir the state directory
 * @param role     {@code host} or {@code edge}
 * @param address  where this agent's proxy is reached, or {@code null} for 127.0.0.1
 * @param coreFingerprint the SHA-256 of the core's TLS certificate to pin, {@code sha256:<hex>}, or {@code null}
 */
record LauncherArgs(
        String core, String token, String name, Path stateDir, String role, String address, String coreFingerprint) {

    static final String USAGE = String.join(
            "\n",
            "usage: fleetgate-agent --core URL [--token TOKEN] [--core-fingerprint sha256:HEX] [--name NAME]",
            "                       [--state-dir DIR] [--role host|edge] [--address ADDR]",
            "  --core URL        the Fleetgate core, e.g. https://core.example:8443   (env FLEETGATE_AGENT_CORE)",
            "                    plain http:// only for a core on this machine (127.0.0.1, ::1, localhost)",
            "  --core-fingerprint sha256:HEX  the core certificate's SHA-256, from the enrolment-token answer:",
            "                    only that certificate is accepted (stored at enrolment) (env FLEETGATE_AGENT_CORE_FINGERPRINT)",
            "  --token TOKEN     enrolment token, needed on the first start only       (env FLEETGATE_AGENT_TOKEN)",
            "  --name NAME       agent name [host name]                                (env FLEETGATE_AGENT_NAME)",
            "  --state-dir DIR   identity, deployed bundles, Felix cache [~/.fleetgate-agent] (env FLEETGATE_AGENT_STATE_DIR)",
            "  --role ROLE       host (default) or edge                                (env FLEETGATE_AGENT_ROLE)",
            "  --address ADDR    where this agent's proxy is reached [127.0.0.1]       (env FLEETGATE_AGENT_ADDRESS)");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern FINGERPRINT = Pattern.compile("(?i)(sha256:)?([0-9a-f]{2}:?){31}[0-9a-f]{2}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]{1,255}");

    /** Thrown for {@code --help}. */
    static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;
    }

    static LauncherArgs parse(String[] args, Map<String, String> env, Path home) throws UsageException, HelpRequested {
        String core = env.get("FLEETGATE_AGENT_CORE");
        String token = env.get("FLEETGATE_AGENT_TOKEN");
        String name = env.get("FLEETGATE_AGENT_NAME");
        String stateDir = env.get("FLEETGATE_AGENT_STATE_DIR");
        String role = env.get("FLEETGATE_AGENT_ROLE");
        String address = env.get("FLEETGATE_AGENT_ADDRESS");
        String fingerprint = env.get("FLEETGATE_AGENT_CORE_FINGERPRINT");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new HelpRequested();
            }
            String option = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                value = null;
            }
            if (!option.startsWith("--")) {
                throw new UsageException("unexpected argument: " + arg);
            }
            if (value == null) {
                throw new UsageException(option + " needs a value");
            }
            switch (option) {
                case "--core" -> core = value;
                case "--token" -> token = value;
                case "--name" -> name = value;
                case "--state-dir" -> stateDir = value;
                case "--role" -> role = value;
                case "--address" -> address = value;
                case "--core-fingerprint" -> fingerprint = value;
                default -> throw new UsageException("unknown option: " + option);
            }
        }
        core = blankToNull(core);
        if (core == null) {
            throw new UsageException("--core is required");
        }
        validateCore(core);
        name = blankToNull(name);
        if (name != null && !NAME.matcher(name).matches()) {
            throw new UsageException("invalid --name '" + name
                    + "': letters, digits, '.', '_', '-' (max 63), starting with a letter or digit");
        }
        role = blankToNull(role);
        if (role == null) {
            role = "host";
        } else if (!role.equals("host") && !role.equals("edge")) {
            throw new UsageException("invalid --role '" + role + "': host or edge");
        }
        address = blankToNull(address);
        if (address != null && !ADDRESS.matcher(address).matches()) {
            throw new UsageException("invalid --address '" + address + "'");
        }
        fingerprint = blankToNull(fingerprint);
        if (fingerprint != null) {
            if (!FINGERPRINT.matcher(fingerprint).matches()) {
                throw new UsageException("invalid --core-fingerprint '" + fingerprint + "': sha256: and 64 hex digits");
            }
            fingerprint = "sha256:"
                    + fingerprint
                            .toLowerCase(java.util.Locale.ROOT)
                            .replace("sha256:", "")
                            .replace(":", "");
        }
        stateDir = blankToNull(stateDir);
        Path state = stateDir == null ? home.resolve(".fleetgate-agent") : Path.of(stateDir);
        return new LauncherArgs(
                core.endsWith("/") ? core.substring(0, core.length() - 1) : core,
                blankToNull(token),
                name,
                state.toAbsolutePath().normalize(),
                role,
                address,
                fingerprint);
    }

    private static void validateCore(String core) throws UsageException {
        try {
            URI uri = new URI(core);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException("invalid --core '" + core + "': an http:// or https:// URL with a host");
            }
            if ("http".equals(uri.getScheme()) && !loopback(uri.getHost())) {
                throw new UsageException("invalid --core '" + core + "': plain http:// only for a core on this machine"
                        + " (127.0.0.1, ::1, localhost); use https:// (and --core-fingerprint)");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new UsageException("invalid --core '" + core + "': no query or fragment");
            }
        } catch (URISyntaxException e) {
            throw new UsageException("invalid --core '" + core + "': " + e.getMessage());
        }
    }

    /** A loopback literal or localhost; names are never resolved for this decision. */
    static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
                || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

package dev.fleetgate.agent.nginx.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The resolved configuration of the agent's nginx, with the paths of its working directory.
 *
 * @param workDir working directory: {@code conf -> conf.<n>} (the live generation), {@code logs/}, {@code tmp/},
 *                {@code nginx.pid}, {@code state.json}
 * @param httpsAlwaysOn the HTTPS port has a TLS listener even while no TLS site uses it, so that the first TLS
 *                site is a dynamic change, not a reload (an unknown SNI name gets no handshake there)
 */
public record NginxSettings(
        String nginxBinary,
        int httpPort,
        int httpsPort,
        String listenAddress,
        int adminPort,
        Path workDir,
        String workerProcesses,
        int workerConnections,
        List<String> luaModules,
        String luaPackagePath,
        String peersDictSize,
        int healthCheckThreads,
        long accessLogMaxBytes,
        long accessLogPollMillis,
        List<String> trustedProxies,
        boolean httpsAlwaysOn) {

    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,5}[km]?");
    private static final Pattern WORKERS = Pattern.compile("auto|[1-9][0-9]{0,3}");
    private static final Pattern ADDRESS = Pattern.compile("\\*|[0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[[0-9a-fA-F:.]+]");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/+@=-]+");
    private static final Pattern LUA_PATH = Pattern.compile("[A-Za-z0-9._/+@=?;-]*");
    /** An IPv4 or IPv6 address or CIDR block as nginx's set_real_ip_from reads it (checked again by InetAddress). */
    private static final Pattern PROXY = Pattern.compile("[0-9a-fA-F:.]{2,45}(/[0-9]{1,3})?");

    public NginxSettings {
        check(ADDRESS, listenAddress, "listenAddress");
        check(WORKERS, workerProcesses, "workerProcesses");
        check(SIZE, peersDictSize, "peersDictSize");
        check(SAFE_PATH, workDir.toString(), "workDir");
        check(LUA_PATH, luaPackagePath, "luaPackagePath");
        luaModules.forEach(m -> check(SAFE_PATH, m, "luaModules"));
        port(httpPort, "httpPort");
        port(httpsPort, "httpsPort");
        port(adminPort, "adminPort");
        if (workerConnections < 16 || healthCheckThreads < 1 || accessLogPollMillis < 10 || accessLogMaxBytes < 0) {
            throw new IllegalArgumentException(
                    "workerConnections >= 16, healthCheckThreads >= 1, accessLogPollMillis >= 10,"
                            + " accessLogMaxBytes >= 0");
        }
        luaModules = List.copyOf(luaModules);
        trustedProxies = List.copyOf(trustedProxies);
        trustedProxies.forEach(NginxSettings::checkProxy);
    }

    /** @return the same settings trusting these proxies' X-Forwarded-For */
    public NginxSettings withTrustedProxies(List<String> proxies) {
        return toBuilder().trustedProxies(proxies).build();
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        return new Builder()
                .nginxBinary(nginxBinary)
                .httpPort(httpPort)
                .httpsPort(httpsPort)
                .listenAddress(listenAddress)
                .adminPort(adminPort)
                .workDir(workDir)
                .workerProcesses(workerProcesses)
                .workerConnections(workerConnections)
                .luaModules(luaModules)
                .luaPackagePath(luaPackagePath)
                .peersDictSize(peersDictSize)
                .healthCheckThreads(healthCheckThreads)
                .accessLogMaxBytes(accessLogMaxBytes)
                .accessLogPollMillis(accessLogPollMillis)
                .trustedProxies(trustedProxies)
                .httpsAlwaysOn(httpsAlwaysOn);
    }

    /**
     * @return a builder without values: every setting but {@code trustedProxies} (none) and {@code httpsAlwaysOn}
     *         (false) must be given ({@link #from} gives the configuration's)
     */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkProxy(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        boolean ok = PROXY.matcher(entry).matches();
        if (ok) {
            try {
                byte[] bytes = java.net.InetAddress.getByName(address).getAddress(); // a literal: no lookup
                ok = slash < 0 || Integer.parseInt(entry.substring(slash + 1)) <= bytes.length * 8;
                ok &= address.indexOf(':') >= 0
                        || address.chars().filter(c -> c == '.').count() == 3;
            } catch (java.net.UnknownHostException | RuntimeException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("trustedProxies: not an address or CIDR block: " + entry);
        }
    }

    /**
     * @param config     the typed configuration (etc/dev.fleetgate.agent.nginx.cfg; defaults when none exists)
     * @param stateDir   the agent's state directory ({@code workDir} defaults to {@code <stateDir>/nginx})
     */
    public static NginxSettings from(NginxConfiguration config, Path stateDir) {
        String work = config.workDir();
        return builder()
                .nginxBinary(config.nginxBinary())
                .httpPort(config.httpPort())
                .httpsPort(config.httpsPort())
                .listenAddress(config.listenAddress())
                .adminPort(config.adminPort())
                .workDir((work.isBlank() ? stateDir.resolve("nginx") : Path.of(work))
                        .toAbsolutePath()
                        .normalize())
                .workerProcesses(config.workerProcesses())
                .workerConnections(config.workerConnections())
                .luaModules(list(config.luaModules()))
                .luaPackagePath(config.luaPackagePath())
                .peersDictSize(config.peersDictSize())
                .healthCheckThreads(config.healthCheckThreads())
                .accessLogMaxBytes(config.accessLogMaxBytes())
                .accessLogPollMillis(config.accessLogPollMillis())
                .trustedProxies(list(config.trustedProxies()))
                .httpsAlwaysOn(config.httpsAlwaysOn())
                .build();
    }

    /** @return the entries of a comma-separated configuration value, trimmed, without empty ones */
    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** @return nginx's own configuration file: the live generation, reached through the {@code conf} link */
    public Path confFile() {
        return workDir.resolve("conf").resolve("nginx.conf");
    }

    public Path pidFile() {
        return workDir.resolve("nginx.pid");
    }

    public Path logsDir() {
        return workDir.resolve("logs");
    }

    public Path accessLog() {
        return logsDir().resolve("access.log");
    }

    public Path errorLog() {
        return logsDir().resolve("error.log");
    }

    /**
     * @return the Unix socket of the admin server ({@code POST /peers}, {@code /check}, {@code /generation}):
     *         {@code <workDir>/admin/admin.sock}, or {@code <tmp>/fleetgate-nginx-<hash>.admin/admin.sock} when that
     *         path would be too long for a socket address; its directory is {@code 0700} (see
     *         {@link ConfigStore#prepareAdminDir})
     */
    public Path adminSocket() {
        Path path = workDir.resolve("admin").resolve("admin.sock");
        if (path.toString().length() <= 100) {
            return path;
        }
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "fleetgate-nginx-" + Integer.toHexString(workDir.toString().hashCode()) + ".admin",
                "admin.sock");
    }

    /** @return the {@code listen} address prefix for a port, e.g. {@code 127.0.0.1:80} */
    public String listen(int port) {
        return "*".equals(listenAddress) ? String.valueOf(port) : listenAddress + ":" + port;
    }

    private static void check(Pattern pattern, String value, String name) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid nginx setting " + name + ": " + value);
        }
    }

    private static void port(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid nginx setting " + name + ": " + port);
        }
    }

    /** Collects the settings one by one; {@link #build} checks them (the record's constructor). */
    public static final class Builder {
        private String nginxBinary;
        private int httpPort;
        private int httpsPort;
        private String listenAddress;
        private int adminPort;
        private Path workDir;
        private String workerProcesses;
        private int workerConnections;
        private List<String> luaModules = List.of();
        private String luaPackagePath;
        private String peersDictSize;
        private int healthCheckThreads;
        private long accessLogMaxBytes;
        private long accessLogPollMillis;
        private List<String> trustedProxies = List.of();
        private boolean httpsAlwaysOn;

        private Builder() {}

        public Builder nginxBinary(String value) {
            nginxBinary = value;
            return this;
        }

        public Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        public Builder httpsPort(int value) {
            httpsPort = value;
            return this;
        }

        public Builder listenAddress(String value) {
            listenAddress = value;
            return this;
        }

        public Builder adminPort(int value) {
            adminPort = value;
            return this;
        }

        public Builder workDir(Path value) {
            workDir = value;
            return this;
        }

        public Builder workerProcesses(String value) {
            workerProcesses = value;
            return this;
        }

        public Builder workerConnections(int value) {
            workerConnections = value;
            return this;
        }

        public Builder luaModules(List<String> value) {
            luaModules = value;
            return this;
        }

        public Builder luaPackagePath(String value) {
            luaPackagePath = value;
            return this;
        }

        public Builder peersDictSize(String value) {
            peersDictSize = value;
            return this;
        }

        public Builder healthCheckThreads(int value) {
            healthCheckThreads = value;
            return this;
        }

        public Builder accessLogMaxBytes(long value) {
            accessLogMaxBytes = value;
            return this;
        }

        public Builder accessLogPollMillis(long value) {
            accessLogPollMillis = value;
            return this;
        }

        public Builder trustedProxies(List<String> value) {
            trustedProxies = value;
            return this;
        }

        public Builder httpsAlwaysOn(boolean value) {
            httpsAlwaysOn = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public NginxSettings build() {
            return new NginxSettings(
                    nginxBinary,
                    httpPort,
                    httpsPort,
                    listenAddress,
                    adminPort,
                    workDir,
                    workerProcesses,
                    workerConnections,
                    luaModules,
                    luaPackagePath,
                    peersDictSize,
                    healthCheckThreads,
                    accessLogMaxBytes,
                    accessLogPollMillis,
                    trustedProxies,
                    httpsAlwaysOn);
        }
    }
}

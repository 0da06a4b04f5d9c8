package dev.fleetgate.agent.nginx.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the agent's nginx (PID {@value #PID}, file {@code etc/dev.fleetgate.agent.nginx.cfg} of the
 * agent distribution, values may use {@code ${env:NAME:-default}}); the agent's launcher hands every such file
 * to Config Admin before this bundle starts.
 */
@ObjectClassDefinition(name = "Fleetgate agent nginx", description = "The nginx instance the agent runs and configures")
public @interface NginxConfiguration {

    String PID = "dev.fleetgate.agent.nginx";

    @AttributeDefinition(description = "the nginx binary")
    String nginxBinary() default "/usr/sbin/nginx";

    @AttributeDefinition(description = "port of plain HTTP listeners whose port the spec leaves to the agent")
    int httpPort() default 80;

    @AttributeDefinition(description = "port of TLS listeners whose port the spec leaves to the agent")
    int httpsPort() default 443;

    @AttributeDefinition(
            description =
                    "bind the HTTPS port even while no TLS site uses it, so that the first TLS site needs no nginx reload")
    boolean httpsAlwaysOn() default false;

    @AttributeDefinition(description = "address the proxy listens on (an IPv4 literal, or * for all)")
    String listenAddress() default "0.0.0.0";

    @AttributeDefinition(
            description =
                    "loopback port serving only /nginx_status (stub_status) for the metrics collector; the admin API is on <workDir>/admin/admin.sock")
    int adminPort() default 18081;

    @AttributeDefinition(
            description = "working directory (config generations, logs, pid, temp); empty = <stateDir>/nginx")
    String workDir() default "";

    @AttributeDefinition(description = "nginx worker_processes: a number or auto")
    String workerProcesses() default "auto";

    @AttributeDefinition(description = "nginx worker_connections")
    int workerConnections() default 4096;

    @AttributeDefinition(
            description =
                    "dynamic modules loaded first, comma-separated (Debian: libnginx-mod-http-ndk, libnginx-mod-http-lua)")
    String luaModules() default
            "/usr/lib/nginx/modules/ndk_http_module.so,/usr/lib/nginx/modules/ngx_http_lua_module.so";

    @AttributeDefinition(
            description =
                    "extra lua_package_path entries before the defaults (;; is appended); empty = nginx's defaults")
    String luaPackagePath() default "";

    @AttributeDefinition(description = "size of the lua_shared_dict holding the peers, e.g. 16m")
    String peersDictSize() default "16m";

    @AttributeDefinition(description = "threads running active health checks")
    int healthCheckThreads() default 4;

    @AttributeDefinition(
            description = "the access log is rotated (one old file kept) when it grows past this many bytes; 0 = never")
    long accessLogMaxBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "how often the access log is read, in milliseconds")
    long accessLogPollMillis() default 500;

    @AttributeDefinition(
            description = "trusted proxies (edge agents, load balancers): comma-separated addresses or CIDR blocks;"
                    + " only a request from one of them may name the real client in X-Forwarded-For (nginx realip)."
                    + " Empty = none: the client is the peer")
    String trustedProxies() default "";
}

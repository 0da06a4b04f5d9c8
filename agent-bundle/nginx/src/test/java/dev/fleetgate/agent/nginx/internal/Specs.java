package dev.fleetgate.agent.nginx.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds proxy specs (as the core sends them) and settings for tests. */
final class Specs {

    private Specs() {}

    static NginxSettings settings(Path workDir, int httpPort, int adminPort) {
        return settings(workDir, httpPort, adminPort, "1", "4m");
    }

    static NginxSettings settings(Path workDir, int httpPort, int adminPort, String workers, String dictSize) {
        return settings(workDir, httpPort, adminPort, workers, dictSize, false);
    }

    static NginxSettings settings(
            Path workDir, int httpPort, int adminPort, String workers, String dictSize, boolean httpsAlwaysOn) {
        return NginxSettings.builder()
                .nginxBinary("/usr/sbin/nginx")
                .httpPort(httpPort)
                .httpsPort(httpPort + 1)
                .listenAddress("127.0.0.1")
                .adminPort(adminPort)
                .workDir(workDir)
                .workerProcesses(workers)
                .workerConnections(1024)
                .luaModules(List.of(
                        "/usr/lib/nginx/modules/ndk_http_module.so", "/usr/lib/nginx/modules/ngx_http_lua_module.so"))
                .luaPackagePath("")
                .peersDictSize(dictSize)
                .healthCheckThreads(2)
                .accessLogMaxBytes(0)
                .accessLogPollMillis(50)
                .httpsAlwaysOn(httpsAlwaysOn)
                .build();
    }

    /** The configuration as Config Admin gives it to a component: these values, the OCD's defaults for the others. */
    static NginxConfiguration configuration(Map<String, Object> values) {
        return (NginxConfiguration) Proxy.newProxyInstance(
                NginxConfiguration.class.getClassLoader(),
                new Class<?>[] {NginxConfiguration.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    /** A spec of one service per entry: {name, domain, port...}. */
    static ObjectNode spec(Service... services) {
        ObjectNode spec = Spec.JSON.createObjectNode();
        ArrayNode sites = spec.putArray("sites");
        ArrayNode upstreams = spec.putArray("upstreams");
        for (Service s : services) {
            sites.add(s.site());
            upstreams.add(s.upstream());
        }
        spec.putArray("accessRules");
        spec.putObject("extensions");
        return spec;
    }

    static Service service(String id, String domain, int... ports) {
        return new Service(id, domain, ports);
    }

    /** One service: a site and an upstream, mutable for tests. */
    static final class Service {
        final String id;
        final ObjectNode site = Spec.JSON.createObjectNode();
        final ObjectNode upstream = Spec.JSON.createObjectNode();

        Service(String id, String domain, int... ports) {
            this.id = id;
            site.put("id", id).put("serviceId", id).put("serviceName", "svc-" + id);
            site.putArray("serverNames").add(domain);
            site.putArray("listen").addObject().put("tls", false);
            site.putArray("locations")
                    .addObject()
                    .put("path", "/")
                    .put("match", "prefix")
                    .put("upstream", "svc-" + id);
            site.put("maxBodyBytes", 10485760);
            site.putObject("timeouts")
                    .put("connectSeconds", 5)
                    .put("readSeconds", 60)
                    .put("sendSeconds", 60);
            site.putObject("requestHeaders");
            site.putObject("responseHeaders");
            site.put("websockets", false);
            upstream.put("name", "svc-" + id)
                    .put("serviceId", id)
                    .put("lbMethod", "round_robin")
                    .put("keepalive", 32);
            targets(ports);
        }

        Service healthCheck(String path, int interval, int fall, int rise) {
            upstream.putObject("healthCheck")
                    .put("path", path)
                    .put("intervalSeconds", interval)
                    .put("timeoutSeconds", 1)
                    .put("fall", fall)
                    .put("rise", rise);
            return this;
        }

        Service targets(int... ports) {
            ArrayNode targets = upstream.putArray("targets");
            for (int port : ports) {
                targets.addObject()
                        .put("host", "127.0.0.1")
                        .put("port", port)
                        .put("weight", 1)
                        .put("backup", false);
            }
            return this;
        }

        /** Adds a TLS listener (on the settings' HTTPS port) with this certificate. */
        Service tls(String certificateId, Tls.Pem pem, boolean redirectHttp) {
            if (site.get("listen").size() == 1) {
                site.withArray("listen").addObject().put("tls", true);
            }
            site.putObject("tls")
                    .put("certificateId", certificateId)
                    .put("certificatePem", pem.cert())
                    .put("privateKeyPem", pem.key())
                    .put("redirectHttp", redirectHttp);
            return this;
        }

        Service lb(String method) {
            upstream.put("lbMethod", method);
            return this;
        }

        JsonNode site() {
            return site;
        }

        JsonNode upstream() {
            return upstream;
        }
    }
}

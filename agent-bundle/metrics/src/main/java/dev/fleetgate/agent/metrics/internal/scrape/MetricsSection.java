package dev.fleetgate.agent.metrics.internal.scrape;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The desired-state section {@code metrics} sent by the core:
 * {@code {"intervalSeconds": 10, "scrapes": [{"serviceId", "serviceName", "format": "json"|"prometheus",
 * "path": "/metrics", "intervalSeconds": 10, "targets": [{"host", "port"}]}]}}.
 *
 * @param intervalSeconds the agent's collection interval, 1..3600
 * @param scrapes         the custom endpoints to scrape
 */
public record MetricsSection(int intervalSeconds, List<Scrape> scrapes) {

    /** A target of a scrape. */
    public record Target(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** One service's scrape definition; the service's container endpoints are added at scrape time. */
    public record Scrape(
            String serviceId,
            String serviceName,
            String format,
            String path,
            int intervalSeconds,
            List<Target> targets) {}

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[?[0-9A-Fa-f:.]+\\]?");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1023}");

    /**
     * Reads and validates the section.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public static MetricsSection parse(JsonNode body, int defaultInterval) {
        int interval = interval(body.get("intervalSeconds"), defaultInterval, "intervalSeconds");
        List<Scrape> scrapes = new ArrayList<>();
        JsonNode list = body.path("scrapes");
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String at = "scrapes[" + i + "].";
            String serviceId = s.path("serviceId").asText("");
            if (!ID.matcher(serviceId).matches()) {
                throw new IllegalArgumentException(at + "serviceId: invalid: " + serviceId);
            }
            String format = s.path("format").asText("json");
            if (!format.equals("json") && !format.equals("prometheus")) {
                throw new IllegalArgumentException(at + "format: json or prometheus, got " + format);
            }
            String path = s.path("path").asText("/metrics");
            if (!PATH.matcher(path).matches()) {
                throw new IllegalArgumentException(at + "path: an absolute path without spaces, got " + path);
            }
            List<Target> targets = new ArrayList<>();
            for (JsonNode t : s.path("targets")) {
                String host = t.path("host").asText("");
                int port = t.path("port").asInt(0);
                if (!HOST.matcher(host).matches() || port < 1 || port > 65535) {
                    throw new IllegalArgumentException(at + "targets: invalid host or port: " + host + ":" + port);
                }
                targets.add(new Target(host.replace("[", "").replace("]", ""), port));
            }
            scrapes.add(new Scrape(
                    serviceId,
                    s.path("serviceName").asText(serviceId),
                    format,
                    path,
                    interval(s.get("intervalSeconds"), interval, at + "intervalSeconds"),
                    List.copyOf(targets)));
        }
        return new MetricsSection(interval, List.copyOf(scrapes));
    }

    private static int interval(JsonNode node, int fallback, String field) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() || node.asInt() < 1 || node.asInt() > 3600) {
            throw new IllegalArgumentException(field + ": 1..3600 seconds, got " + node);
        }
        return node.asInt();
    }
}

package dev.fleetgate.agent.metrics.internal.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.metrics.internal.Emitter;
import dev.fleetgate.agent.metrics.internal.MetricNames;
import dev.fleetgate.agent.metrics.internal.scrape.MetricsSection.Scrape;
import dev.fleetgate.agent.metrics.internal.scrape.MetricsSection.Target;

/**
 * Scrapes one target of a service: HTTP GET of the path (bounded time and size), parsed as JSON
 * or Prometheus text, each value emitted with the labels {@code service} and {@code target}
 * (a scraped label of the same name is kept as {@code exported_service}/{@code exported_target};
 * {@code agent} likewise). Also emits {@code scrape_up}, {@code scrape_duration_seconds} and
 * {@code scrape_samples} for the target.
 */
public final class Scraper {

    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Outcome of one scrape, for {@code status.metrics}. */
    public record Outcome(String serviceId, String target, boolean up, int samples, String error) {}

    private final ObjectMapper mapper;

    public Scraper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Outcome scrape(Scrape scrape, Target target, Emitter out) {
        long t0 = System.nanoTime();
        Map<String, String> base = Map.of("service", scrape.serviceId(), "target", target.toString());
        int samples = 0;
        String error = null;
        try {
            String body = fetch(scrape, target);
            if (scrape.format().equals("json")) {
                for (Map.Entry<String, Double> value :
                        JsonMetrics.parse(mapper.readTree(body)).entrySet()) {
                    out.emit(value.getKey(), base, value.getValue());
                    samples++;
                }
            } else {
                PrometheusText.Result result = PrometheusText.parse(body);
                for (PrometheusText.Sample s : result.samples()) {
                    if (s.labels().size() + base.size() <= MetricNames.MAX_LABELS - 1) {
                        out.emit(s.name(), merge(base, s.labels()), s.value());
                        samples++;
                    }
                }
                if (samples == 0 && result.invalidLines() > 0) {
                    throw new IOException("not Prometheus text: " + result.invalidLines() + " invalid lines");
                }
            }
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        out.emit("scrape_up", base, error == null ? 1 : 0);
        out.emit("scrape_duration_seconds", base, (System.nanoTime() - t0) / 1e9);
        out.emit("scrape_samples", base, samples);
        return new Outcome(scrape.serviceId(), target.toString(), error == null, samples, error);
    }

    static Map<String, String> merge(Map<String, String> base, Map<String, String> scraped) {
        Map<String, String> labels = new LinkedHashMap<>();
        scraped.forEach((k, v) ->
                labels.put(base.containsKey(k) || k.equals("agent") ? "exported_" + k : k, MetricNames.cleanValue(v)));
        labels.putAll(base);
        return labels;
    }

    private static final byte[] AWS_IPV6_METADATA = {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    /**
     * @return whether an address is link-local ({@code 169.254.0.0/16} with the cloud metadata endpoint,
     *         {@code fe80::/10}) or another known metadata endpoint: never scraped, whatever a name resolves to
     */
    static boolean isLinkLocalOrMetadata(java.net.InetAddress a) {
        if (a.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200;
        }
        return java.util.Arrays.equals(b, AWS_IPV6_METADATA);
    }

    /** @return the address to connect to: the target's, checked once (no second lookup) */
    static java.net.InetAddress address(String host) throws IOException {
        java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
        for (java.net.InetAddress a : all) {
            if (isLinkLocalOrMetadata(a)) {
                throw new IOException(
                        "refused: " + host + " is a link-local or metadata address (" + a.getHostAddress() + ")");
            }
        }
        return all[0];
    }

    private static String fetch(Scrape scrape, Target target) throws IOException {
        String ip = address(target.host()).getHostAddress();
        int zone = ip.indexOf('%');
        ip = zone >= 0 ? ip.substring(0, zone) : ip;
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        URL url = new URL("http", host, target.port(), scrape.path());
        // never a proxy from the JVM's settings; redirects are not followed (only 200 is an answer)
        HttpURLConnection connection = (HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
        int timeout = Math.max(1_000, Math.min(10_000, scrape.intervalSeconds() * 1_000 - 500));
        connection.setConnectTimeout(Math.min(timeout, 3_000));
        connection.setReadTimeout(timeout);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestProperty(
                "Accept",
                scrape.format().equals("json") ? "application/json" : "text/plain;version=0.0.4;q=0.9,*/*;q=0.1");
        connection.setRequestProperty("User-Agent", "fleetgate-agent-metrics");
        try {
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status + " from " + url);
            }
            try (InputStream in = connection.getInputStream()) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new IOException("answer larger than " + MAX_BYTES + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } finally {
            connection.disconnect();
        }
    }
}

package dev.fleetgate.agent.probe.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Header;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task type {@code http.probe}: payload {@code {"url", "method"?: GET|HEAD, "timeoutMs"?: 5000,
 * "expectStatus"?, "expectStatuses"?: [..], "followRedirects"?: false, "maxRedirects"?: 10,
 * "maxLatencyMs"?, "bodyContains"?, "headers"?: {name: value}}} → {@code {"ok", "status", "latencyMs", "errorKind"?, "error"?,
 * "redirects": [{"url","status","location"}], "finalUrl", "timing": {"dnsMs","connectMs","tlsMs"? (https),
 * "firstByteMs","redirectMs","totalMs"},
 * "tlsExpiresAt"? (https), "tls"? {"notAfter","subject","issuer"}}}.
 *
 * <p>An invalid payload fails the task; a failing target is a successful task with {@code "ok": false}
 * and an {@code errorKind}: {@code refused} (link-local/metadata, never contacted), {@code dns},
 * {@code connect}, {@code timeout}, {@code tls}, {@code status}, {@code content}, {@code latency} or
 * {@code redirect} (a loop, too many hops, a Location that is not http(s)). Every hop of a redirect
 * chain is checked against the same rules before it is contacted. When TLS validation fails the
 * certificate is still read (a trust-all handshake, no request sent) so its expiry is reported.
 */
@Header(name = AgentContext.PLUGIN_HEADER, value = "probe")
@Component(property = TaskHandler.TYPE + "=http.probe")
public final class HttpProbeHandler implements TaskHandler {
    static final int MAX_BODY = 1 << 20;

    @Override
    public JsonNode handle(Task task) {
        ProbeRequest probe = ProbeRequest.parse(task.payload());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ArrayNode redirects = result.putArray("redirects");
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(probe.timeoutMs());
        URI url = probe.url();
        Set<String> seen = new HashSet<>();
        for (int hop = 0; ; hop++) {
            seen.add(url.toString());
            long hopStarted = System.nanoTime();
            HttpExchange.Response response;
            try {
                response = HttpExchange.send(url, probe.method(), probe.headers(), deadline);
            } catch (HttpExchange.Failure e) {
                if (e.kind.equals("timeout")) {
                    return failed(result, started, "timeout", "timed out after " + probe.timeoutMs() + " ms");
                }
                failed(result, started, e.kind, e.getMessage());
                if (e.kind.equals("tls")) {
                    certificate(result, Targets.peekChain(url.getHost(), port(url), probe.timeoutMs()));
                }
                return result;
            }
            try (response) {
                int status = response.status();
                String location = response.header("Location");
                if (probe.followRedirects() && status >= 300 && status < 400 && status != 304 && location != null) {
                    URI next;
                    try {
                        next = url.resolve(location.trim());
                    } catch (IllegalArgumentException e) {
                        return failed(result, started, "redirect", "invalid Location " + location, status);
                    }
                    redirects
                            .addObject()
                            .put("url", url.toString())
                            .put("status", status)
                            .put("location", next.toString());
                    String scheme =
                            next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                    if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
                        return failed(
                                result, started, "redirect", "redirect to a URL that is not http(s): " + next, status);
                    }
                    if (seen.contains(next.toString())) {
                        return failed(
                                result,
                                started,
                                "redirect",
                                "redirect loop: " + next + " again after " + (hop + 1) + " hops",
                                status);
                    }
                    if (hop + 1 > probe.maxRedirects()) {
                        return failed(
                                result,
                                started,
                                "redirect",
                                "too many redirects (more than " + probe.maxRedirects() + ")",
                                status);
                    }
                    url = next;
                    continue;
                }
                ObjectNode timing = timing(response.timing(), TimeUnit.NANOSECONDS.toMillis(hopStarted - started));
                result.put("status", status);
                result.put("finalUrl", url.toString());
                if ("https".equalsIgnoreCase(url.getScheme())) {
                    certificate(result, response.chain());
                    if (!result.has("tlsExpiresAt")) {
                        result.putNull("tlsExpiresAt");
                    }
                }
                String body = null;
                if (probe.bodyContains() != null && probe.method().equals("GET")) {
                    try {
                        body = new String(response.body(MAX_BODY, deadline), StandardCharsets.UTF_8);
                    } catch (java.net.SocketTimeoutException e) {
                        return failed(
                                result,
                                started,
                                "timeout",
                                "body not read within " + probe.timeoutMs() + " ms",
                                status);
                    } catch (IOException | NumberFormatException e) {
                        return failed(result, started, "connect", "reading the body failed: " + e.getMessage(), status);
                    }
                }
                long total = elapsedMs(started);
                result.put("latencyMs", total);
                timing.put("totalMs", total);
                result.set("timing", timing);
                if (!probe.ok(status)) {
                    return verdict(
                            result,
                            "status",
                            "unexpected status " + status
                                    + (probe.expectStatuses().isEmpty()
                                            ? " (expected 2xx or 3xx)"
                                            : " (expected " + probe.expectStatuses() + ")"));
                }
                if (body != null && !body.contains(probe.bodyContains())) {
                    return verdict(result, "content", "the body does not contain \"" + probe.bodyContains() + "\"");
                }
                if (probe.maxLatencyMs() != null && total > probe.maxLatencyMs()) {
                    return verdict(
                            result,
                            "latency",
                            "answered in " + total + " ms (more than " + probe.maxLatencyMs() + " ms)");
                }
                result.put("ok", true);
                return result;
            }
        }
    }

    /**
     * The phases of the last request: {@code dnsMs}, {@code connectMs}, {@code tlsMs} (https only),
     * {@code firstByteMs} (request sent → status line), {@code redirectMs} (the earlier hops).
     */
    static ObjectNode timing(HttpExchange.Timing t, long redirectMs) {
        ObjectNode timing = JsonNodeFactory.instance.objectNode();
        timing.put("dnsMs", t.dnsMs());
        timing.put("connectMs", t.connectMs());
        if (t.tlsMs() >= 0) {
            timing.put("tlsMs", t.tlsMs());
        }
        timing.put("firstByteMs", t.firstByteMs());
        timing.put("redirectMs", redirectMs);
        return timing;
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** Reports the leaf certificate: its expiry (also when it failed validation), subject and issuer. */
    static void certificate(ObjectNode result, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return;
        }
        X509Certificate leaf = chain.get(0);
        String notAfter = leaf.getNotAfter().toInstant().toString();
        result.put("tlsExpiresAt", notAfter);
        ObjectNode tls = result.putObject("tls");
        tls.put("notAfter", notAfter);
        tls.put("notBefore", leaf.getNotBefore().toInstant().toString());
        tls.put("subject", leaf.getSubjectX500Principal().getName());
        tls.put("issuer", leaf.getIssuerX500Principal().getName());
    }

    static ObjectNode verdict(ObjectNode result, String kind, String error) {
        result.put("ok", false);
        result.put("errorKind", kind);
        result.put("error", error);
        return result;
    }

    static ObjectNode failed(ObjectNode result, long started, String kind, String error) {
        result.putNull("status");
        return failedWith(result, started, kind, error);
    }

    static ObjectNode failed(ObjectNode result, long started, String kind, String error, int status) {
        result.put("status", status);
        return failedWith(result, started, kind, error);
    }

    private static ObjectNode failedWith(ObjectNode result, long started, String kind, String error) {
        result.put("latencyMs", elapsedMs(started));
        return verdict(result, kind, error);
    }

    static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}

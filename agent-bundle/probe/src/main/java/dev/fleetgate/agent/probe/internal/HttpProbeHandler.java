package dev.fleetgate.agent.probe.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.osgi.annotation.bundle.Header;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Task type {@code http.probe}: payload {@code {"url", "method"?: GET|HEAD, "timeoutMs"?: 5000,
 * "expectStatus"?, "expectStatuses"?: [..], "followRedirects"?: false, "maxRedirects"?: 10,
 * "maxLatencyMs"?, "bodyContains"?}} → {@code {"ok", "status", "latencyMs", "errorKind"?, "error"?,
 * "redirects": [{"url","status","location"}], "finalUrl", "timing": {"dnsMs","firstByteMs","totalMs"},
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

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofMillis(ProbeRequest.MAX_TIMEOUT_MS))
            .build();
    private final ExecutorService bodies = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fleetgate-probe-body");
        t.setDaemon(true);
        return t;
    });

    @Deactivate
    void close() {
        bodies.shutdownNow();
    }

    @Override
    public JsonNode handle(Task task) throws InterruptedException {
        ProbeRequest probe = ProbeRequest.parse(task.payload());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ArrayNode redirects = result.putArray("redirects");
        ObjectNode timing = JsonNodeFactory.instance.objectNode();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(probe.timeoutMs());
        long dnsNanos = 0;
        URI url = probe.url();
        Set<String> seen = new HashSet<>();
        for (int hop = 0;; hop++) {
            seen.add(url.toString());
            long dnsStart = System.nanoTime();
            try {
                String refused = Targets.refused(url.getHost());
                if (refused != null) {
                    return failed(result, started, "refused", refused);
                }
            } catch (Targets.UnknownHost e) {
                return failed(result, started, "dns", e.getMessage());
            } finally {
                dnsNanos += System.nanoTime() - dnsStart;
                timing.put("dnsMs", dnsNanos / 1_000_000);
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return failed(result, started, "timeout", "timed out after " + probe.timeoutMs() + " ms");
            }
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofMillis(left))
                    .header("User-Agent", "fleetgate-agent-probe")
                    .method(probe.method(), HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpConnectTimeoutException e) {
                return failed(result, started, "timeout", "connect timed out after " + probe.timeoutMs() + " ms");
            } catch (HttpTimeoutException e) {
                return failed(result, started, "timeout", "timed out after " + probe.timeoutMs() + " ms");
            } catch (IOException e) {
                String kind = kind(e);
                failed(result, started, kind, message(e));
                if (kind.equals("tls")) {
                    certificate(result, Targets.peekChain(url.getHost(), port(url), probe.timeoutMs()));
                }
                return result;
            }
            int status = response.statusCode();
            String location = response.headers().firstValue("Location").orElse(null);
            if (probe.followRedirects() && status >= 300 && status < 400 && status != 304 && location != null) {
                closeQuietly(response.body());
                URI next;
                try {
                    next = url.resolve(location.trim());
                } catch (IllegalArgumentException e) {
                    return failed(result, started, "redirect", "invalid Location " + location, status);
                }
                redirects.addObject().put("url", url.toString()).put("status", status).put("location", next.toString());
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
                    return failed(result, started, "redirect", "redirect to a URL that is not http(s): " + next,
                            status);
                }
                if (seen.contains(next.toString())) {
                    return failed(result, started, "redirect", "redirect loop: " + next + " again after "
                            + (hop + 1) + " hops", status);
                }
                if (hop + 1 > probe.maxRedirects()) {
                    return failed(result, started, "redirect", "too many redirects (more than "
                            + probe.maxRedirects() + ")", status);
                }
                url = next;
                continue;
            }
            timing.put("firstByteMs", elapsedMs(started));
            result.put("status", status);
            result.put("finalUrl", url.toString());
            if ("https".equalsIgnoreCase(url.getScheme())) {
                List<X509Certificate> chain = response.sslSession().map(HttpProbeHandler::chain).orElse(List.of());
                certificate(result, chain);
                if (!result.has("tlsExpiresAt")) {
                    result.putNull("tlsExpiresAt");
                }
            }
            String body = null;
            try {
                if (probe.bodyContains() != null && probe.method().equals("GET")) {
                    body = readBody(response.body(), deadline);
                } else {
                    closeQuietly(response.body());
                }
            } catch (TimeoutException e) {
                return failed(result, started, "timeout", "body not read within " + probe.timeoutMs() + " ms", status);
            } catch (IOException e) {
                return failed(result, started, kind(e), message(e), status);
            }
            long total = elapsedMs(started);
            result.put("latencyMs", total);
            timing.put("totalMs", total);
            result.set("timing", timing);
            if (!probe.ok(status)) {
                return verdict(result, "status", "unexpected status " + status
                        + (probe.expectStatuses().isEmpty() ? " (expected 2xx or 3xx)" : " (expected "
                                + probe.expectStatuses() + ")"));
            }
            if (body != null && !body.contains(probe.bodyContains())) {
                return verdict(result, "content", "the body does not contain \"" + probe.bodyContains() + "\"");
            }
            if (probe.maxLatencyMs() != null && total > probe.maxLatencyMs()) {
                return verdict(result, "latency", "answered in " + total + " ms (more than " + probe.maxLatencyMs()
                        + " ms)");
            }
            result.put("ok", true);
            return result;
        }
    }

    private String readBody(InputStream in, long deadline) throws IOException, TimeoutException, InterruptedException {
        Future<byte[]> read = bodies.submit(() -> {
            try (InputStream s = in) {
                return s.readNBytes(MAX_BODY);
            }
        });
        try {
            return new String(read.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS),
                    StandardCharsets.UTF_8);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            read.cancel(true);
            closeQuietly(in);
            throw e;
        }
    }

    /** Classifies a failed exchange. */
    static String kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "dns";
            }
            if (t instanceof ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
                return "connect";
            }
        }
        return "connect";
    }

    private static String message(Throwable e) {
        String m = null;
        for (Throwable t = e; t != null && m == null; t = t.getCause()) {
            m = t.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
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

    private static List<X509Certificate> chain(SSLSession session) {
        try {
            return Targets.x509(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static ObjectNode verdict(ObjectNode result, String kind, String error) {
        result.put("ok", false);
        result.put("errorKind", kind);
        result.put("error", error);
        return result;
    }

    private static ObjectNode failed(ObjectNode result, long started, String kind, String error) {
        result.putNull("status");
        return failedWith(result, started, kind, error);
    }

    private static ObjectNode failed(ObjectNode result, long started, String kind, String error, int status) {
        result.put("status", status);
        return failedWith(result, started, kind, error);
    }

    private static ObjectNode failedWith(ObjectNode result, long started, String kind, String error) {
        result.put("latencyMs", elapsedMs(started));
        return verdict(result, kind, error);
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}

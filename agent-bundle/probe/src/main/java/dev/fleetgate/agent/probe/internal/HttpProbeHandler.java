package dev.fleetgate.agent.probe.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.osgi.annotation.bundle.Header;
import org.osgi.service.component.annotations.Component;

/**
 * Task type {@code http.probe}: payload {@code {"url", "method"?: GET|HEAD, "timeoutMs"?: 5000,
 * "expectStatus"?}} → {@code {"status", "latencyMs", "ok", "tlsExpiresAt"? (https)}}.
 * An invalid payload fails the task; an unreachable URL is a successful task with
 * {@code "ok": false}, {@code "status": null} and an {@code "error"}.
 */
@Header(name = AgentContext.PLUGIN_HEADER, value = "probe")
@Component(property = TaskHandler.TYPE + "=http.probe")
public final class HttpProbeHandler implements TaskHandler {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofMillis(ProbeRequest.MAX_TIMEOUT_MS))
            .build();

    @Override
    public JsonNode handle(Task task) throws InterruptedException {
        ProbeRequest probe = ProbeRequest.parse(task.payload());
        HttpRequest request = HttpRequest.newBuilder(probe.url())
                .timeout(Duration.ofMillis(probe.timeoutMs()))
                .header("User-Agent", "fleetgate-agent-probe")
                .method(probe.method(), HttpRequest.BodyPublishers.noBody())
                .build();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        long started = System.nanoTime();
        String refused = refused(probe.url().getHost());
        if (refused != null) {
            failed(result, started, refused);
            return result;
        }
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            result.put("status", response.statusCode());
            result.put("latencyMs", elapsedMs(started));
            result.put("ok", probe.ok(response.statusCode()));
            if ("https".equalsIgnoreCase(probe.url().getScheme())) {
                result.put("tlsExpiresAt", response.sslSession().map(HttpProbeHandler::expiry).orElse(null));
            }
        } catch (HttpTimeoutException e) {
            failed(result, started, "timed out after " + probe.timeoutMs() + " ms");
        } catch (IOException e) {
            failed(result, started, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return result;
    }

    private static final byte[] AWS_IPV6_METADATA = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x02, 0x54};

    /**
     * @return why the host is not probed — it is, or resolves to, a link-local address ({@code 169.254.0.0/16} with
     *         the cloud metadata endpoint, {@code fe80::/10}) or another metadata endpoint — or null
     */
    static String refused(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(h)) {
                byte[] b = a.getAddress();
                boolean metadata = b.length == 4 ? (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100
                        && (b[3] & 0xff) == 200 : java.util.Arrays.equals(b, AWS_IPV6_METADATA);
                if (a.isLinkLocalAddress() || metadata) {
                    return "refused: " + host + " is a link-local or metadata address (" + a.getHostAddress() + ")";
                }
            }
        } catch (java.net.UnknownHostException e) {
            return null; // the request fails on its own
        }
        return null;
    }

    private static void failed(ObjectNode result, long started, String error) {
        result.putNull("status");
        result.put("latencyMs", elapsedMs(started));
        result.put("ok", false);
        result.put("error", error);
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String expiry(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                return leaf.getNotAfter().toInstant().toString();
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate
        }
        return null;
    }
}

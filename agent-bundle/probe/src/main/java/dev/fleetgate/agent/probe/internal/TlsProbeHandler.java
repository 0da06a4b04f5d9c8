package dev.fleetgate.agent.probe.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task type {@code tls.probe}: payload {@code {"target": "host[:port]" (443), "timeoutMs"?: 5000,
 * "minDaysLeft"?: 14}} → {@code {"ok", "valid", "daysLeft", "tlsExpiresAt", "tls": {"notAfter",
 * "subject","issuer"}, "latencyMs", "errorKind"?, "error"?}}. The handshake validates the chain
 * against the JVM's trust store and the host name; when that fails the certificate is read again
 * with a trust-all handshake (no data sent) so that its expiry and issuer are still reported.
 * Fewer than {@code minDaysLeft} days to expiry is a failure ({@code errorKind} {@code tls}).
 */
@Component(property = TaskHandler.TYPE + "=tls.probe")
public final class TlsProbeHandler implements TaskHandler {

    @Override
    public JsonNode handle(Task task) {
        JsonNode p = task.payload();
        String target = p.path("target").asText("");
        int colon = target.lastIndexOf(':');
        String host = target;
        int port = 443;
        if (colon > 0 && colon > target.lastIndexOf(']')) {
            host = target.substring(0, colon);
            try {
                port = Integer.parseInt(target.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("target: host or host:port");
        }
        int timeout =
                ProbeRequest.integer(p, "timeoutMs", 1, ProbeRequest.MAX_TIMEOUT_MS, ProbeRequest.DEFAULT_TIMEOUT_MS);
        int minDays = ProbeRequest.integer(p, "minDaysLeft", 0, 3650, 14);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        long started = System.nanoTime();
        try {
            String refused = Targets.refused(host);
            if (refused != null) {
                return fail(result, started, "refused", refused);
            }
        } catch (Targets.UnknownHost e) {
            return fail(result, started, "dns", e.getMessage());
        }
        List<X509Certificate> chain;
        String invalid = null;
        try (SSLSocket socket =
                (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(Targets.bare(host), port), timeout);
            socket.setSoTimeout(timeout);
            Targets.sni(socket, host);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            chain = Targets.x509(socket.getSession().getPeerCertificates());
        } catch (SSLException e) {
            invalid = e.getMessage() == null ? "handshake failed" : e.getMessage();
            chain = Targets.peekChain(host, port, timeout);
        } catch (SocketTimeoutException e) {
            return fail(result, started, "timeout", "timed out after " + timeout + " ms");
        } catch (IOException e) {
            return fail(result, started, "connect", e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        result.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        result.put("valid", invalid == null);
        HttpProbeHandler.certificate(result, chain);
        if (!chain.isEmpty()) {
            long days = Duration.between(
                            Instant.now(), chain.get(0).getNotAfter().toInstant())
                    .toDays();
            result.put("daysLeft", days);
            if (invalid == null && days < minDays) {
                invalid = "the certificate expires in " + days + " days (fewer than " + minDays + ")";
            }
        }
        result.putNull("status");
        if (invalid != null) {
            result.put("ok", false);
            result.put("errorKind", "tls");
            result.put("error", invalid);
        } else {
            result.put("ok", true);
        }
        return result;
    }

    private static ObjectNode fail(ObjectNode result, long started, String kind, String error) {
        result.putNull("status");
        result.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        result.put("ok", false);
        result.put("errorKind", kind);
        result.put("error", error);
        return result;
    }
}

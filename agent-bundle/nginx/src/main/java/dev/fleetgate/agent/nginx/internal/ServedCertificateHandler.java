package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task type {@code tls.served} (certificates module): which certificate this agent's nginx presents for a name.
 * Payload {@code {"serverName": "shop.example.test"}} → {@code {"serial": "<hex>", "notAfter": "<ISO-8601>"}}.
 * The handshake goes to the agent's own HTTPS listener (its configured address and port) with SNI; the chain is
 * not validated (only what is served is read) and no request is sent.
 */
@Component(
        property = TaskHandler.TYPE + "=tls.served",
        configurationPid = NginxConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class ServedCertificateHandler implements TaskHandler {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final int TIMEOUT_MS = 5000;

    private final String host;
    private final int port;

    @Activate
    public ServedCertificateHandler(
            @Reference AgentContext agent, NginxConfiguration config, Map<String, Object> properties) {
        NginxSettings s = NginxSettings.from(config, agent.stateDir());
        this.host = "*".equals(s.listenAddress())
                ? "127.0.0.1"
                : s.listenAddress().replace("[", "").replace("]", "");
        this.port = s.httpsPort();
    }

    ServedCertificateHandler(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public JsonNode handle(Task task) throws Exception {
        String name =
                task.payload() == null ? "" : task.payload().path("serverName").asText("");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("serverName: a lower-case host name");
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new ReadOnly()}, null);
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(name)));
            socket.setSSLParameters(p);
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("serial", leaf.getSerialNumber().toString(16));
            out.put("notAfter", leaf.getNotAfter().toInstant().toString());
            return out;
        } catch (IOException e) {
            throw new IOException(
                    "TLS handshake with " + host + ":" + port + " for " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Accepts any chain: the caller compares the served certificate with the one it expects. */
    private static final class ReadOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // read only
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

package dev.fleetgate.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;

/**
 * {@code GET /metrics} at the root (Pax Web HTTP whiteboard), for Prometheus. Needs
 * {@code Authorization: Bearer <token>} where the token is the configured
 * {@code .prometheusToken} or a user access token of any role; never open.
 */
@Component(
        service = Servlet.class,
        configurationPid = MetricsConfig.PID,
        property = {
            "osgi.http.whiteboard.servlet.pattern=/metrics",
            "osgi.http.whiteboard.servlet.name=fleetgate-metrics"
        })
public final class ExpositionServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient Exposition exposition;
    private final byte[] token;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile Authenticator authenticator;

    @Activate
    public ExpositionServlet(@Reference Exposition exposition, MetricsConfig config) {
        this(exposition, Settings.of(config).prometheusToken());
    }

    ExpositionServlet(Exposition exposition, String token) {
        this.exposition = exposition;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String bearer = bearer(req.getHeader("Authorization"));
        if (!(bearer != null
                && token != null
                && MessageDigest.isEqual(token, bearer.getBytes(StandardCharsets.UTF_8)))) {
            Authenticator auth = authenticator;
            if (auth == null) {
                problem(res, 503, "Authentication service unavailable");
                return;
            }
            if (bearer == null || user(auth, bearer).isEmpty()) {
                res.setHeader("WWW-Authenticate", "Bearer");
                problem(res, 401, "A valid bearer token is required");
                return;
            }
        }
        byte[] body = exposition.render().getBytes(StandardCharsets.UTF_8);
        res.setStatus(200);
        res.setContentType(CONTENT_TYPE);
        res.setHeader("Cache-Control", "no-store");
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    private static Optional<Caller> user(Authenticator auth, String token) {
        try {
            return auth.authenticate(token);
        } catch (RuntimeException e) {
            return Optional.empty(); // a broken token must not become a 500
        }
    }

    static String bearer(String header) {
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = header.substring(7).strip();
        return t.isEmpty() ? null : t;
    }

    private static void problem(HttpServletResponse res, int status, String detail) throws IOException {
        res.setStatus(status);
        res.setContentType("application/problem+json");
        String title = status == 401 ? "Unauthorized" : "Service Unavailable";
        res.getOutputStream()
                .write(("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                                + detail + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }
}

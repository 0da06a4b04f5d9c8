package dev.fleetgate.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The web admin at {@code /}: the files of the Vite build packed under {@code webroot/}
 * in this bundle, with the single-page app's fallback to index.html (see
 * {@link StaticSite}). Registered through the HTTP whiteboard as the default servlet, so
 * longer patterns ({@code /api/v1/*}, {@code /metrics}) keep their own servlets.
 */
@Component(
        service = Servlet.class,
        configurationPid = "dev.fleetgate.web",
        property = {"osgi.http.whiteboard.servlet.pattern=/", "osgi.http.whiteboard.servlet.name=fleetgate-web"})
@Designate(ocd = WebConfig.class)
public final class WebServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String ROOT = "webroot";

    private final transient StaticSite site;

    @Activate
    public WebServlet(BundleContext context, WebConfig config) {
        Bundle bundle = context.getBundle();
        this.site = new StaticSite(path -> read(bundle.getEntry(ROOT + path)), config.contentSecurityPolicy());
    }

    /** For tests: a site over any loader. */
    WebServlet(StaticSite site) {
        this.site = site;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        StaticSite.Answer a =
                site.answer(req.getMethod(), path, req.getHeader("Accept-Encoding"), req.getHeader("If-None-Match"));
        for (Map.Entry<String, String> h : a.headers().entrySet()) {
            res.setHeader(h.getKey(), h.getValue());
        }
        res.setStatus(a.status());
        if (a.status() == 404) {
            notFound(path, res);
            return;
        }
        if (a.status() != 200) {
            return;
        }
        byte[] body = a.gzip() ? a.asset().gzip() : a.asset().body();
        res.setContentType(a.asset().contentType());
        if (a.gzip()) {
            res.setHeader("Content-Encoding", "gzip");
        }
        res.setContentLength(body.length);
        if (!"HEAD".equals(req.getMethod())) {
            res.getOutputStream().write(body);
        }
    }

    /** problem+json under /api (what API clients expect), plain text elsewhere. */
    private static void notFound(String path, HttpServletResponse res) throws IOException {
        res.setHeader("Cache-Control", "no-store");
        byte[] body;
        if (path.startsWith("/api")) {
            res.setContentType("application/problem+json");
            body = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}".getBytes(StandardCharsets.UTF_8);
        } else {
            res.setContentType("text/plain; charset=utf-8");
            body = "Not found\n".getBytes(StandardCharsets.UTF_8);
        }
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    private static byte[] read(URL url) {
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.fleetgate.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

class WebServletTest {
    private static final byte[] JS = StaticSite.utf8("let a=1");
    private static final byte[] JS_GZ = {31, -117, 8, 0, 1, 2};

    private final WebServlet servlet = new WebServlet(new StaticSite(
            Map.of("/index.html", StaticSite.utf8("<html>"), "/assets/a-1.js", JS, "/assets/a-1.js.gz", JS_GZ)::get,
            "default-src 'self'"));
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    private HttpServletResponse call(String method, String path, String acceptEncoding) throws IOException {
        HttpServletRequest req = mock(HttpServletRequest.class);
        when(req.getMethod()).thenReturn(method);
        when(req.getServletPath()).thenReturn(path);
        when(req.getHeader("Accept-Encoding")).thenReturn(acceptEncoding);
        HttpServletResponse res = mock(HttpServletResponse.class);
        when(res.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {}
        });
        servlet.service(req, res);
        return res;
    }

    @Test
    void sendsTheGzippedVariantWithItsEncoding() throws IOException {
        HttpServletResponse res = call("GET", "/assets/a-1.js", "gzip");
        verify(res).setStatus(200);
        verify(res).setHeader("Content-Encoding", "gzip");
        verify(res).setContentType("text/javascript; charset=utf-8");
        verify(res).setContentLength(JS_GZ.length);
        assertArrayEquals(JS_GZ, written.toByteArray());
    }

    @Test
    void headSendsHeadersOnly() throws IOException {
        HttpServletResponse res = call("HEAD", "/assets/a-1.js", null);
        verify(res).setContentLength(JS.length);
        verify(res, never()).getOutputStream();
    }

    @Test
    void unknownApiPathIsProblemJson() throws IOException {
        HttpServletResponse res = call("GET", "/api/v2/x", null);
        verify(res).setStatus(404);
        verify(res).setContentType("application/problem+json");
        assertTrue(written.toString().contains("\"status\":404"));
    }

    @Test
    void clientRouteGetsIndex() throws IOException {
        HttpServletResponse res = call("GET", "/services/new", "gzip");
        verify(res).setStatus(200);
        verify(res).setHeader("Cache-Control", "no-cache");
        assertEquals("<html>", written.toString());
    }
}

package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;

/** GET /metrics is never open: the scrape token or a user token. */
class ExpositionServletTest {
    private final Exposition exposition = mock(Exposition.class);
    private final Authenticator auth =
            token -> "user-jwt".equals(token) ? Optional.of(new Caller("vera", Set.of("viewer"))) : Optional.empty();

    private record Answer(HttpServletResponse response, ByteArrayOutputStream body) {}

    private Answer get(ExpositionServlet servlet, String authorization) throws IOException {
        HttpServletRequest req = mock(HttpServletRequest.class);
        when(req.getHeader("Authorization")).thenReturn(authorization);
        HttpServletResponse res = mock(HttpServletResponse.class);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        when(res.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {}
        });
        servlet.doGet(req, res);
        return new Answer(res, body);
    }

    @Test
    void withAConfiguredTokenThatTokenOrAUserTokenPasses() throws IOException {
        when(exposition.render()).thenReturn("# TYPE x untyped\nx 1\n");
        ExpositionServlet servlet = new ExpositionServlet(exposition, "s3cret-scrape-token");
        servlet.authenticator = auth;
        Answer ok = get(servlet, "Bearer s3cret-scrape-token");
        verify(ok.response()).setStatus(200);
        verify(ok.response()).setContentType(ExpositionServlet.CONTENT_TYPE);
        assertEquals("# TYPE x untyped\nx 1\n", ok.body().toString(StandardCharsets.UTF_8));
        verify(get(servlet, "bearer user-jwt").response()).setStatus(200);

        for (String bad :
                new String[] {null, "", "Bearer", "Bearer s3cret", "Basic s3cret-scrape-token", "Bearer wrong"}) {
            Answer a = get(servlet, bad);
            verify(a.response()).setStatus(401);
            verify(a.response()).setHeader("WWW-Authenticate", "Bearer");
            assertTrue(a.body().toString(StandardCharsets.UTF_8).contains("\"status\":401"), String.valueOf(bad));
        }
    }

    @Test
    void withoutATokenAUserTokenIsRequired() throws IOException {
        when(exposition.render()).thenReturn("x 1\n");
        ExpositionServlet servlet = new ExpositionServlet(exposition, "  ");
        servlet.authenticator = auth;
        verify(get(servlet, null).response()).setStatus(401);
        verify(get(servlet, "Bearer ").response()).setStatus(401);
        verify(get(servlet, "Bearer user-jwt").response()).setStatus(200);
    }

    @Test
    void withoutTheAuthenticatorOnlyTheScrapeTokenPasses() throws IOException {
        when(exposition.render()).thenReturn("x 1\n");
        ExpositionServlet servlet = new ExpositionServlet(exposition, "tok");
        verify(get(servlet, "Bearer tok").response()).setStatus(200);
        verify(get(servlet, "Bearer user-jwt").response()).setStatus(503);
        verify(get(new ExpositionServlet(exposition, ""), null).response()).setStatus(503);
    }
}

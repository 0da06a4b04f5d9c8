package dev.fleetgate.agents.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import javax.annotation.security.PermitAll;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.core.MediaType;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.BodyLimit;
import dev.fleetgate.api.RawText;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.rest.internal.JerseyApplications;

/** The agent key is checked in the real REST application before a byte of the body is read. */
class AgentKeyFilterTest {
    static final String AGENT = "6f1c3f9e-2d4b-4a7e-9b1a-0c2d3e4f5a6b";
    static final String KEY = "fga_right";

    /** Shaped like the sync: key-checked, large limit, raw text. */
    @Path("agents")
    public static class Sync implements RestResource {
        @POST
        @Path("{id}/sync")
        @PermitAll
        @AgentKey
        @BodyLimit(AgentProtocolResource.SYNC_MAX_BODY_BYTES)
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        public String sync(@PathParam("id") String id, @RawText JsonNode body) {
            return "{\"fields\":" + body.size() + "}";
        }
    }

    private final ApplicationHandler app = new ApplicationHandler(JerseyApplications.create(
            List.of(new Sync(), AgentKeyFilter.of((id, key) -> AGENT.equals(id) && KEY.equals(key))),
            () -> token -> Optional.empty()));

    /** A body of {@code size} bytes that counts what was read of it. */
    static final class Body extends FilterInputStream {
        long read;

        Body(int size) {
            super(new java.io.ByteArrayInputStream(
                    ("{\"metrics\":[" + "1,".repeat(size / 2) + "1]}").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }

    private ContainerResponse post(String agent, String key, InputStream body) throws Exception {
        ContainerRequest req = new ContainerRequest(
                URI.create("http://localhost/api/v1/"),
                URI.create("http://localhost/api/v1/agents/" + agent + "/sync"),
                "POST",
                null,
                new MapPropertiesDelegate(),
                null);
        if (key != null) {
            req.header("Authorization", "Bearer " + key);
        }
        req.header("Content-Type", "application/json");
        req.setEntityStream(body);
        return app.apply(req, new ByteArrayOutputStream()).get();
    }

    @Test
    void wrongKeyUnknownAgentOrNoKeyIs401WithoutReadingTheBody() throws Exception {
        for (String[] attempt : new String[][] {
            {AGENT, "fga_wrong"}, {"7f1c3f9e-2d4b-4a7e-9b1a-0c2d3e4f5a6b", KEY}, {AGENT, null}, {"not-a-uuid", KEY}
        }) {
            Body body = new Body(24 << 20);
            ContainerResponse r = post(attempt[0], attempt[1], body);
            assertEquals(401, r.getStatus());
            assertEquals("application/problem+json", r.getMediaType().toString());
            assertEquals(0, body.read, "body bytes read before the 401");
        }
    }

    @Test
    void rightKeyReadsTheLargeBody() throws Exception {
        Body body = new Body(24 << 20);
        ContainerResponse r = post(AGENT, KEY, body);
        assertEquals(200, r.getStatus());
        assertTrue(body.read > 24 << 20);
    }

    @Test
    void theRealAgentEndpointsAreKeyCheckedBeforeTheirBody() throws Exception {
        // The body as bytes (split by SyncBody, metrics streamed to the sink), limited by @BodyLimit.
        Method sync = AgentProtocolResource.class.getMethod(
                "sync", String.class, String.class, byte[].class, AsyncResponse.class);
        assertNotNull(sync.getAnnotation(AgentKey.class));
        assertEquals(32L << 20, sync.getAnnotation(BodyLimit.class).value());
        Method download = AgentProtocolResource.class.getMethod("download", String.class, String.class);
        assertNotNull(download.getAnnotation(AgentKey.class));
        // The endpoints people call take no agent key: none of them lives in the protocol resource.
        for (Method m : AgentsResource.class.getDeclaredMethods()) {
            assertEquals(null, m.getAnnotation(AgentKey.class), m.getName());
        }
    }
}

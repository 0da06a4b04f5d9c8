package dev.fleetgate.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;
import dev.fleetgate.api.Roles;

/** The REST application in memory: tokens "admin", "operator" and "viewer" name a caller with that role. */
final class InMemoryApi {
    static final Authenticator TOKENS = token -> Optional.ofNullable(Map.of(
                    "admin", new Caller("alice", Set.of(Roles.ADMIN)),
                    "operator", new Caller("olga", Set.of(Roles.OPERATOR)),
                    "viewer", new Caller("victor", Set.of(Roles.VIEWER)))
            .get(token));

    private final ApplicationHandler app;

    InMemoryApi(Supplier<Authenticator> authenticator, Object... resources) {
        app = new ApplicationHandler(JerseyApplications.create(List.of(resources), authenticator));
    }

    InMemoryApi(Object... resources) {
        this(() -> TOKENS, resources);
    }

    Answer call(String method, String path, String token, String contentType, String body) {
        ContainerRequest req = new ContainerRequest(
                URI.create("http://localhost/api/v1/"),
                URI.create("http://localhost/api/v1/" + path),
                method,
                null,
                new MapPropertiesDelegate(),
                null);
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            req.header("Content-Type", contentType);
            req.setEntityStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ContainerResponse res = app.apply(req, out).get();
            return new Answer(res, out.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sends {@code body} as a stream (chunked: no Content-Length unless given in {@code headers}). */
    Answer stream(
            String method,
            String path,
            String token,
            String contentType,
            java.io.InputStream body,
            Map<String, String> headers) {
        ContainerRequest req = new ContainerRequest(
                URI.create("http://localhost/api/v1/"),
                URI.create("http://localhost/api/v1/" + path),
                method,
                null,
                new MapPropertiesDelegate(),
                null);
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        req.header("Content-Type", contentType);
        headers.forEach(req::header);
        req.setEntityStream(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ContainerResponse res = app.apply(req, out).get();
            return new Answer(res, out.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Answer get(String path, String token) {
        return call("GET", path, token, null, null);
    }

    Answer send(String method, String path, String token, String json) {
        return call(method, path, token, "application/json", json);
    }

    record Answer(ContainerResponse response, String body) {
        int status() {
            return response.getStatus();
        }

        String type() {
            return response.getMediaType() == null
                    ? null
                    : response.getMediaType().toString();
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}

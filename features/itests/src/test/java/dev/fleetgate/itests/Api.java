package dev.fleetgate.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** A small JSON client of the core's REST API, as a user or script would call it. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private volatile String token;

    public Api(String base) {
        this.base = base;
    }

    /** An answer: status and JSON body (NullNode when empty or not JSON). */
    public record Response(int status, JsonNode body, String contentType) {
        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    public Api login(String user, String password) {
        Response r = call(
                        "POST",
                        "/api/v1/auth/login",
                        JSON.createObjectNode().put("username", user).put("password", password),
                        null)
                .expect(200);
        token = r.body().get("accessToken").asText();
        return this;
    }

    /** The bearer token of this client (null before login). */
    public String token() {
        return token;
    }

    public Api withToken(String bearer) {
        Api a = new Api(base);
        a.token = bearer;
        return a;
    }

    public Response get(String path) {
        return call("GET", path, null, null);
    }

    public Response post(String path, Object body) {
        return call("POST", path, body, null);
    }

    public Response put(String path, Object body) {
        return call("PUT", path, body, null);
    }

    public Response delete(String path) {
        return call("DELETE", path, null, null);
    }

    public Response upload(String path, Path file) throws IOException {
        HttpRequest.Builder b = request(path)
                .header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofFile(file));
        return send(b);
    }

    public Response call(String method, String path, Object body, String contentType) {
        HttpRequest.Builder b = request(path);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                b.header("Content-Type", contentType == null ? "application/json" : contentType)
                        .method(method, HttpRequest.BodyPublishers.ofString(text));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return send(b);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = NullNode.getInstance();
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (!r.body().isBlank() && ct.contains("json")) {
                json = JSON.readTree(r.body());
            }
            return new Response(r.statusCode(), json, ct);
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

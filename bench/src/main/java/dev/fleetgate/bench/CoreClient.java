package dev.fleetgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Admin calls the benchmarks need. */
final class CoreClient {
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final String base;
    private String token;
    private String user;
    private String password;

    CoreClient(String base) {
        this.base = base;
    }

    CoreClient login(String user, String password) throws IOException, InterruptedException {
        this.user = user;
        this.password = password;
        token = null;
        token = post(
                        "/api/v1/auth/login",
                        JSON.createObjectNode().put("username", user).put("password", password))
                .get("accessToken")
                .asText();
        return this;
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** GET with the admin's token (signed in again once when it expired); the answer whatever its status. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofMinutes(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 401 || user == null || attempt > 0) {
                return r;
            }
            login(user, password);
        }
    }

    void delete(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build();
        int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2 && status != 404) {
            throw new IOException("DELETE " + path + " answered " + status);
        }
    }

    JsonNode upload(String path, byte[] jar) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jar))
                .build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IOException(path + " answered " + res.statusCode() + ": " + res.body());
        }
        return JSON.readTree(res.body());
    }

    java.util.concurrent.CompletableFuture<Integer> deleteAsync(String path) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /** Enrols a simulated agent; returns {agentId, apiKey}. */
    JsonNode enroll(String name) throws IOException, InterruptedException {
        String t = post(
                        "/api/v1/agents/enrollment-tokens",
                        JSON.createObjectNode().put("name", name))
                .get("token")
                .asText();
        return post(
                "/api/v1/agents/enroll",
                JSON.createObjectNode()
                        .put("token", t)
                        .put("name", name)
                        .put("hostname", name)
                        .put("version", "bench"));
    }
}

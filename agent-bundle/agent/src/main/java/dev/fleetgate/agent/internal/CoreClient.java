package dev.fleetgate.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** HTTP calls from the agent to the core (docs/protocol.md). */
public final class CoreClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXTRA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

    private final URI core;
    private final ObjectMapper mapper;
    private final HttpClient http;

    public CoreClient(URI core, ObjectMapper mapper) {
        this(core, mapper, null);
    }

    /**
     * @param pin the core certificate's pinned fingerprint ({@code sha256:<hex>}): only that certificate is
     *            accepted; {@code null} = the JVM's CAs and a hostname check (https), or loopback http
     * @throws IllegalArgumentException for plain http:// to a host that is not a loopback address
     */
    public CoreClient(URI core, ObjectMapper mapper, String pin) {
        if ("http".equals(core.getScheme()) && !CorePin.loopback(core)) {
            throw new IllegalArgumentException("plain http:// only for a core on this machine: " + core);
        }
        this.core = core;
        this.mapper = mapper;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (pin != null && "https".equals(core.getScheme())) {
            builder.sslContext(CorePin.of(pin).sslContext());
        }
        this.http = builder.build();
    }

    public URI core() {
        return core;
    }

    /**
     * {@code POST /api/v1/agents/enroll}.
     *
     * @return the answer: {@code {"agentId","apiKey","syncIntervalSeconds","bundleSigningKey"}}
     * @throws CoreStatusException 401 when the token is refused, 409 when the name is taken, 400 for invalid fields
     */
    public JsonNode enroll(ObjectNode request) throws IOException, InterruptedException {
        HttpRequest http = json(URI.create(core + "/api/v1/agents/enroll"), request, null, Duration.ofSeconds(30));
        return send(http, 201);
    }

    /**
     * {@code POST /api/v1/agents/{id}/sync?wait=N}, with a request timeout of {@code wait + 10 s}.
     *
     * @return the answer: {@code {"sections","tasks","syncIntervalSeconds"}}
     */
    public JsonNode sync(AgentIdentity identity, int waitSeconds, ObjectNode request)
            throws IOException, InterruptedException {
        URI uri = URI.create(core + "/api/v1/agents/" + identity.agentId() + "/sync?wait=" + waitSeconds);
        HttpRequest http = json(
                uri, request, identity.apiKey(), Duration.ofSeconds(waitSeconds).plus(EXTRA_TIMEOUT));
        return send(http, 200);
    }

    /** GET a core resource with the agent's key. The caller closes the stream. */
    public InputStream download(AgentIdentity identity, String relativeUrl) throws IOException {
        URI uri = relativeUrl.startsWith("/") ? URI.create(core + relativeUrl) : URI.create(core + "/" + relativeUrl);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(DOWNLOAD_TIMEOUT)
                .header("Authorization", "Bearer " + identity.apiKey())
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + relativeUrl, e);
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
            }
            throw new CoreStatusException(
                    response.statusCode(), "GET " + relativeUrl + " -> " + response.statusCode() + " " + body);
        }
        return response.body();
    }

    private HttpRequest json(URI uri, JsonNode body, String apiKey, Duration timeout) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder.build();
    }

    private JsonNode send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status != expected && !(status / 100 == 2 && expected / 100 == 2)) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new CoreStatusException(
                    status,
                    request.method() + " " + request.uri().getPath() + " -> " + status
                            + (body.isBlank() ? "" : " " + abbreviate(body)));
        }
        byte[] body = response.body();
        return body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}

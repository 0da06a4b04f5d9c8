package dev.fleetgate.agent.docker.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;

/**
 * The few Docker Engine API calls the agent needs, as JSON, over docker-java's HTTP transport
 * (unix socket or TCP). Paths carry no API version prefix: the engine answers with its own
 * (1.41 on Docker 20.10), and every field used here exists since 1.25.
 */
public final class DockerApi implements Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DockerHttpClient calls;
    private final DockerHttpClient streams;

    private DockerApi(DockerHttpClient calls, DockerHttpClient streams) {
        this.calls = calls;
        this.streams = streams;
    }

    /** @param dockerHost {@code unix:///var/run/docker.sock} or {@code tcp://host:port} */
    public static DockerApi connect(String dockerHost) {
        URI host = URI.create(dockerHost);
        DockerHttpClient calls = new ApacheDockerHttpClient.Builder()
                .dockerHost(host)
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        // events and logs: long-lived responses, no read timeout
        DockerHttpClient streams = new ApacheDockerHttpClient.Builder()
                .dockerHost(host)
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return new DockerApi(calls, streams);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public JsonNode get(String path) throws DockerException {
        return call("GET", path, null);
    }

    public JsonNode post(String path, JsonNode body) throws DockerException {
        return call("POST", path, body);
    }

    public JsonNode delete(String path) throws DockerException {
        return call("DELETE", path, null);
    }

    /**
     * Opens a streamed GET (events, logs). The caller closes the answer, which ends the stream.
     *
     * @throws DockerException on a status other than 200
     */
    public Response stream(String path) throws DockerException {
        Response response = execute(streams, "GET", path, null);
        if (response.getStatusCode() != 200) {
            try (response) {
                throw failure(response);
            }
        }
        return response;
    }

    private JsonNode call(String method, String path, JsonNode body) throws DockerException {
        try (Response response = execute(calls, method, path, body)) {
            int status = response.getStatusCode();
            if (status >= 300 && status != 304) {
                throw failure(response);
            }
            InputStream in = response.getBody();
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            return bytes.length == 0 ? MAPPER.nullNode() : MAPPER.readTree(bytes);
        } catch (DockerException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DockerException(method + " " + path + ": " + message(e), e);
        }
    }

    private static Response execute(DockerHttpClient client, String method, String path, JsonNode body)
            throws DockerException {
        Request.Builder request = Request.builder().method(method).path(path);
        if (body != null) {
            try {
                request.putHeader("Content-Type", "application/json").bodyBytes(MAPPER.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new DockerException("cannot encode request: " + e.getMessage(), e);
            }
        }
        try {
            return client.execute(request.build());
        } catch (RuntimeException e) {
            throw new DockerException("Docker engine not reachable: " + message(e), e);
        }
    }

    private static DockerException failure(Response response) {
        String message = "HTTP " + response.getStatusCode();
        try {
            InputStream in = response.getBody();
            if (in != null) {
                byte[] bytes = in.readNBytes(16_384);
                JsonNode json = MAPPER.readTree(bytes);
                if (json != null && json.hasNonNull("message")) {
                    message = json.get("message").asText();
                } else if (bytes.length > 0) {
                    message = new String(bytes, StandardCharsets.UTF_8).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep the status only
        }
        return new DockerException(response.getStatusCode(), message);
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() throws IOException {
        try {
            calls.close();
        } finally {
            streams.close();
        }
    }
}

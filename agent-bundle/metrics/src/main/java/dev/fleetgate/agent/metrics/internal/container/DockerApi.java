package dev.fleetgate.agent.metrics.internal.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A minimal read-only Docker Engine API client over the unix socket: one HTTP/1.0 GET per call
 * (the engine closes the connection after the answer), JSON answer. Enough for the container
 * list and inspect, without a Docker library in the metrics bundle.
 */
public final class DockerApi implements Docker {

    private static final int MAX_BYTES = 32 * 1024 * 1024;
    private final Path socket;
    private final ObjectMapper mapper;

    /** @param dockerHost {@code unix:///var/run/docker.sock} */
    public DockerApi(String dockerHost, ObjectMapper mapper) {
        if (!dockerHost.startsWith("unix://")) {
            throw new IllegalArgumentException("dockerHost: only unix:// sockets are supported, got " + dockerHost);
        }
        this.socket = Path.of(dockerHost.substring("unix://".length()));
        this.mapper = mapper;
    }

    @Override
    public String describe() {
        return "unix://" + socket;
    }

    @Override
    public JsonNode get(String path) throws IOException {
        byte[] raw;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = "GET " + path + " HTTP/1.0\r\nHost: docker\r\nAccept: application/json\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream(16 * 1024);
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            while (channel.read(in) >= 0) {
                answer.write(in.array(), 0, in.position());
                in.clear();
                if (answer.size() > MAX_BYTES) {
                    throw new IOException("Docker answer to " + path + " larger than " + MAX_BYTES + " bytes");
                }
            }
            raw = answer.toByteArray();
        }
        return parse(path, raw);
    }

    JsonNode parse(String path, byte[] raw) throws IOException {
        int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
            throw new IOException("Docker answer to " + path + " without headers");
        }
        String headers = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String statusLine = headers.split("\r\n", 2)[0];
        String[] parts = statusLine.split(" ");
        int status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
        if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        if (status != 200) {
            throw new IOException(
                    "Docker " + path + " -> " + statusLine + " " + new String(body, StandardCharsets.UTF_8).trim());
        }
        return mapper.readTree(body);
    }

    static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int pos = 0;
        while (pos < body.length) {
            int lineEnd = indexOf(body, pos, new byte[] {'\r', '\n'});
            if (lineEnd < 0) {
                throw new IOException("bad chunked encoding");
            }
            String sizeText = new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] needle) {
        return indexOf(data, 0, needle);
    }

    private static int indexOf(byte[] data, int from, byte[] needle) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

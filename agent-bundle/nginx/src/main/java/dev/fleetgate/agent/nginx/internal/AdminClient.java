package dev.fleetgate.agent.nginx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.0 client of nginx's loopback admin server (no chunked answers). Each call opens a new connection and
 * closes it, so that after a reload it reaches a worker of the new generation, never an old worker through a
 * kept-alive connection.
 */
public final class AdminClient {

    /** A status and a body. */
    public record Response(int status, String body) {
    }

    private static final int TIMEOUT_MS = 10_000;

    private final int port;

    public AdminClient(int port) {
        this.port = port;
    }

    public Response get(String path) throws IOException {
        return call("GET", path, null);
    }

    public Response post(String path, String json) throws IOException {
        return call("POST", path, json.getBytes(StandardCharsets.UTF_8));
    }

    private Response call(String method, String path, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.0\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            throw new IOException("not an HTTP answer from the nginx admin server");
        }
        String[] status = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
        String body = text.substring(end + 4);
        return new Response(Integer.parseInt(status[1]), body);
    }
}

package dev.fleetgate.agent.nginx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP/1.0 client for tests, so that any Host header can be sent. */
final class Http {

    record Reply(int status, String body) {}

    private Http() {}

    static Reply get(int port, String host, String path) {
        return send(
                port,
                "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: fleetgate-test\r\n\r\n",
                new byte[0]);
    }

    /** @return the whole response (status line, headers, body), or the error */
    static String raw(int port, String host, String path) {
        Reply r = send(
                port,
                "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: fleetgate-test\r\n\r\n",
                new byte[0],
                true);
        return r.body();
    }

    static Reply post(int port, String host, String path, byte[] body) {
        return send(
                port,
                "POST " + path + " HTTP/1.0\r\nHost: " + host + "\r\nContent-Length: " + body.length + "\r\n\r\n",
                body);
    }

    /**
     * Sends a request from a given loopback client address (127.0.0.2–127.0.0.254 are clients of their own for
     * nginx's {@code $remote_addr}) and reads until the server closes the connection.
     *
     * @param head the request line and headers, with the blank line that ends them (no body)
     * @return the whole response (status line, headers, body)
     */
    static String rawFrom(String client, int port, String head) throws IOException {
        return exchange(client, port, head, new byte[0]);
    }

    /** @return the status of the response to a request sent as {@link #rawFrom} does */
    static int statusFrom(String client, int port, String head) throws IOException {
        return Integer.parseInt(rawFrom(client, port, head).split(" ", 3)[1]);
    }

    private static Reply send(int port, String head, byte[] body) {
        return send(port, head, body, false);
    }

    private static Reply send(int port, String head, byte[] body, boolean whole) {
        try {
            String text = exchange(null, port, head, body);
            if (whole) {
                return new Reply(0, text);
            }
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/") || end < 0) {
                return new Reply(-1, text);
            }
            return new Reply(Integer.parseInt(text.split(" ", 3)[1]), text.substring(end + 4));
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        }
    }

    /** @param client the local address to send from, or null for any */
    private static String exchange(String client, int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            if (client != null) {
                s.bind(new InetSocketAddress(InetAddress.getByName(client), 0));
            }
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}

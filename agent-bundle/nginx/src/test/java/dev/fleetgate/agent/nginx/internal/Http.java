package dev.fleetgate.agent.nginx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    private static Reply send(int port, String head, byte[] body) {
        return send(port, head, body, false);
    }

    private static Reply send(int port, String head, byte[] body, boolean whole) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
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
}

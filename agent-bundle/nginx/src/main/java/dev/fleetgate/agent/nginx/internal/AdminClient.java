package dev.fleetgate.agent.nginx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * HTTP/1.0 client of nginx's admin server, which listens on a Unix socket in a {@code 0700} directory (see
 * {@link NginxSettings#adminSocket()}): no TCP client — a proxied request, a container on the host network — can
 * reach it. No chunked answers. Each call opens a new connection and closes it, so that after a reload it reaches
 * a worker of the new generation, never an old worker through a kept-alive connection.
 */
public final class AdminClient {

    /** A status and a body. */
    public record Response(int status, String body) {}

    private static final long TIMEOUT_MS = 10_000;
    private static final int MAX_ANSWER = 64 << 20;

    private final Path socket;

    public AdminClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    public Response get(String path) throws IOException {
        return call("GET", path, null);
    }

    public Response post(String path, String json) throws IOException {
        return call("POST", path, json.getBytes(StandardCharsets.UTF_8));
    }

    private Response call(String method, String path, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.0\r\n")
                .append("Host: fleetgate-admin\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out =
                ByteBuffer.allocate(h.length + (body == null ? 0 : body.length)).put(h);
        if (body != null) {
            out.put(body);
        }
        out.flip();
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline);
                channel.write(out);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16384);
            while (true) {
                await(selector, deadline);
                int n = channel.read(in);
                if (n < 0) {
                    break;
                }
                all.write(in.array(), 0, in.position());
                in.clear();
                if (all.size() > MAX_ANSWER) {
                    throw new IOException("nginx admin answer too large");
                }
            }
            return parse(all.toByteArray());
        }
    }

    private static void await(Selector selector, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
            throw new IOException("nginx admin server did not answer within " + TIMEOUT_MS / 1000 + " s");
        }
        selector.selectedKeys().clear();
    }

    static Response parse(byte[] answer) throws IOException {
        String text = new String(answer, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            throw new IOException("not an HTTP answer from the nginx admin server");
        }
        String[] status = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
        String body = text.substring(end + 4);
        return new Response(Integer.parseInt(status[1]), body);
    }
}

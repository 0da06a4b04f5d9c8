package dev.fleetgate.agent.nginx.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent keep-alive clients for tests: each thread sends {@code GET} requests over its own HTTP/1.1
 * connection, one after the other (a new connection after an answer that said {@code Connection: close}), and counts answers with an expected status and anything else (another status,
 * a closed connection, a timeout) as failed, with the reason.
 */
final class Load implements AutoCloseable {

    private final int port;
    private final String host;
    private final int expectedStatus;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    Load(int port, String host, int expectedStatus, int connections) {
        this.port = port;
        this.host = host;
        this.expectedStatus = expectedStatus;
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(this::run, "load-" + host + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Starts {@code connections} clients of {@code host} (expecting 200) and waits until 100 requests were answered. */
    static Load running(int port, String host, int connections) throws InterruptedException {
        Load load = new Load(port, host, 200, connections);
        try {
            load.awaitMore(100, "the load runs");
        } catch (AssertionError e) {
            load.close();
            throw e;
        }
        return load;
    }

    /** Waits (10 s at most) until more than {@code answers} requests were answered from now on. */
    void awaitMore(long answers, String what) {
        long before = ok();
        Await.until(what, Duration.ofSeconds(10), () -> ok() > before + answers);
    }

    long ok() {
        return ok.get();
    }

    long failed() {
        return failed.get();
    }

    /** @return the first failures' reasons */
    List<String> failures() {
        return failures.stream().limit(10).toList();
    }

    private void run() {
        byte[] request = ("GET /load HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: fleetgate-load\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (running) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(10_000);
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream());
                boolean[] close = new boolean[1];
                while (running && !close[0]) {
                    out.write(request);
                    out.flush();
                    int status = readResponse(in, close);
                    if (status == expectedStatus) {
                        ok.incrementAndGet();
                    } else {
                        fail("status " + status);
                    }
                }
            } catch (IOException e) {
                if (running) {
                    fail(e.toString());
                }
            }
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        if (failures.size() < 100) {
            failures.add(why);
        }
    }

    /** Reads one response (Content-Length or chunked body) and returns its status. */
    static int readResponse(InputStream in) throws IOException {
        return readResponse(in, new boolean[1]);
    }

    /**
     * Reads one response and returns its status; {@code close[0]} tells whether it said {@code Connection: close}
     * (then, as every HTTP/1.1 client, the caller sends no further request on that connection).
     */
    static int readResponse(InputStream in, boolean[] close) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("no response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close[0] = true;
            }
        }
        if (chunked) {
            while (true) {
                long size = Long.parseLong(line(in).trim().split(";")[0], 16);
                skip(in, size);
                line(in);
                if (size == 0) {
                    break;
                }
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in a body");
                }
                k = 1;
            }
            n -= k;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        if (sb.length() == 0) {
            throw new IOException("connection closed");
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}

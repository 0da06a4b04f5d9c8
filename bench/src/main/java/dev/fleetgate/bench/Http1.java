package dev.fleetgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The load generators' minimal HTTP/1.1 client: request bytes built once per body, status line,
 * {@code Content-Length} or chunked answers, keep-alive connections driven by one selector thread
 * ({@link Loop}). Used by the held polls ({@link HeldPolls}), the paced no-change syncs
 * ({@link PacedSyncs}) and the metrics posts ({@link HttpIngestBench}), so that the bench costs
 * less CPU per request than the core: {@code java.net.http} cost more than the core it measured.
 */
final class Http1 {
    private static final byte[] CRLFCRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private Http1() {}

    static InetSocketAddress address(String base) {
        URI u = URI.create(base);
        return new InetSocketAddress(u.getHost(), u.getPort());
    }

    /** The bytes of a JSON POST to {@code path} of {@code base} with a bearer token. */
    static ByteBuffer post(String base, String path, String bearer, byte[] body) {
        URI u = URI.create(base);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                        + "\r\nAuthorization: Bearer " + bearer
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(head.length + body.length)
                .put(head)
                .put(body)
                .flip();
    }

    /**
     * One selector thread driving {@link Connection}s. {@code tick} runs on it after every turn and
     * returns the nanoseconds until it wants to run again.
     */
    static final class Loop implements AutoCloseable {
        final Selector selector;
        private final Thread thread;
        private final LongSupplier tick;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;

        Loop(String name, LongSupplier tick) throws IOException {
            this.tick = tick;
            this.selector = Selector.open();
            this.thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Runs {@code r} on the loop thread. */
        void execute(Runnable r) {
            tasks.add(r);
            selector.wakeup();
        }

        @Override
        public void close() throws IOException {
            running = false;
            selector.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        }

        private void run() {
            long waitNanos = 0;
            try {
                while (running) {
                    if (waitNanos <= 0) {
                        selector.selectNow();
                    } else {
                        selector.select(Math.min(1000, (waitNanos + 999_999) / 1_000_000));
                    }
                    for (Runnable r; (r = tasks.poll()) != null; ) {
                        r.run();
                    }
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey k = keys.next();
                        keys.remove();
                        Connection c = (Connection) k.attachment();
                        try {
                            if (k.isValid()) {
                                c.ready(k);
                            }
                        } catch (IOException | RuntimeException e) {
                            c.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                    waitNanos = tick.getAsLong();
                }
            } catch (IOException | ClosedSelectorException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            } catch (RuntimeException | Error e) {
                System.out.println("bench client loop " + thread.getName() + " died: " + e);
                throw e;
            }
        }
    }

    /** One keep-alive connection carrying one request at a time; used on its loop's thread only. */
    abstract static class Connection {
        private final Loop loop;
        private final InetSocketAddress address;
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private ByteBuffer in = ByteBuffer.allocate(4096);
        private boolean busy;

        Connection(Loop loop, InetSocketAddress address) {
            this.loop = loop;
            this.address = address;
        }

        /** The answer to the request sent (the connection is free again when this runs). */
        abstract void answered(Response r);

        /** The connection failed and is closed; {@code inFlight} when a request was lost with it. */
        abstract void failed(String why, boolean inFlight);

        final boolean busy() {
            return busy;
        }

        final Loop loop() {
            return loop;
        }

        /** Sends {@code request} (its remaining bytes), opening the connection first when there is none. */
        final void send(ByteBuffer request) {
            out = request;
            in.clear();
            busy = true;
            try {
                if (channel == null) {
                    open();
                } else {
                    write();
                }
            } catch (IOException | RuntimeException e) {
                fail("connect/send: " + e.getMessage());
            }
        }

        /** Closes the connection (the next {@link #send} opens a new one). */
        final void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            channel = null;
            key = null;
        }

        final void fail(String why) {
            boolean was = busy;
            busy = false;
            close();
            failed(why, was);
        }

        private void open() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address)) {
                key = channel.register(loop.selector, 0, this);
                write();
            } else {
                key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
            }
        }

        private void ready(SelectionKey k) throws IOException {
            if (k.isConnectable()) {
                channel.finishConnect();
                write();
            } else if (k.isWritable()) {
                write();
            } else if (k.isReadable()) {
                read();
            }
        }

        private void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("closed by the core");
            }
            if (!busy) {
                throw new IOException("bytes from the core while no request was in flight");
            }
            Response r = Response.parse(in.array(), in.position());
            if (r == null) {
                return; // not all there yet
            }
            busy = false;
            if (r.close()) {
                close();
            }
            answered(r);
        }
    }

    /** A connection for callers on other threads: one request at a time, the answer as a future. */
    static final class Caller extends Connection {
        private CompletableFuture<Response> pending;

        Caller(Loop loop, InetSocketAddress address) {
            super(loop, address);
        }

        CompletableFuture<Response> call(ByteBuffer request) {
            CompletableFuture<Response> f = new CompletableFuture<>();
            loop().execute(() -> {
                pending = f;
                send(request);
            });
            return f;
        }

        @Override
        void answered(Response r) {
            pending.complete(r);
        }

        @Override
        void failed(String why, boolean inFlight) {
            if (inFlight) {
                pending.completeExceptionally(new IOException(why));
            }
        }
    }

    /** A complete HTTP/1.1 answer, or null while bytes are missing. */
    record Response(int status, String body, boolean close) {
        static Response parse(byte[] b, int len) {
            int headEnd = indexOf(b, len, CRLFCRLF, 0);
            if (headEnd < 0) {
                return null;
            }
            String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase(Locale.ROOT);
            boolean close = lower.contains("\r\nconnection: close");
            int start = headEnd + 4;
            int cl = header(lower, "content-length");
            if (cl >= 0) {
                return len - start < cl ? null : new Response(status, text(b, start, cl), close);
            }
            if (lower.contains("\r\ntransfer-encoding: chunked")) {
                return chunked(b, len, start, status, close);
            }
            return new Response(status, "", close);
        }

        private static Response chunked(byte[] b, int len, int at, int status, boolean close) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int eol = indexOf(b, len, CRLF, at);
                if (eol < 0) {
                    return null;
                }
                String size = new String(b, at, eol - at, StandardCharsets.US_ASCII).trim();
                int semi = size.indexOf(';');
                int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
                at = eol + 2;
                if (n == 0) {
                    return len < at + 2 ? null : new Response(status, body.toString(StandardCharsets.UTF_8), close);
                }
                if (len < at + n + 2) {
                    return null;
                }
                body.write(b, at, n);
                at += n + 2;
            }
        }

        private static int header(String lowerHead, String name) {
            int i = lowerHead.indexOf("\r\n" + name + ":");
            if (i < 0) {
                return -1;
            }
            int from = i + name.length() + 3;
            int to = lowerHead.indexOf("\r\n", from);
            return Integer.parseInt(
                    lowerHead.substring(from, to < 0 ? lowerHead.length() : to).trim());
        }

        private static String text(byte[] b, int from, int n) {
            return new String(b, from, n, StandardCharsets.UTF_8);
        }

        private static int indexOf(byte[] b, int len, byte[] what, int from) {
            outer:
            for (int i = from; i <= len - what.length; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (b[i + j] != what[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}

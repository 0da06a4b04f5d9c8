package dev.fleetgate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Held syncs of many simulated agents on one selector thread: each agent keeps one keep-alive
 * connection and sends its next {@code sync?wait=} as soon as the previous one is answered, as a
 * real agent does. A minimal HTTP/1.1 client (request bytes built once per body, status line,
 * {@code Content-Length} or chunked bodies), so that the load generator's cost per answer stays
 * far below the core's: with {@code java.net.http} the first fan-outs to 10,000 agents spent most
 * of their time in the bench's own JIT compiler, GC and client, not in the core.
 */
final class HeldPolls implements AutoCloseable {
    private static final byte[] CRLFCRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What the client needs of a simulated agent. */
    interface Agent {
        String id();

        String key();

        String core();

        /** The sync body to send now. */
        String body();
    }

    private final Selector selector;
    private final Thread thread;
    private final int wait;
    private final BiConsumer<Agent, String> onAnswer;
    private final AtomicInteger errors;
    private final ConcurrentLinkedQueue<Conn> starting = new ConcurrentLinkedQueue<>();
    private final List<Conn> retrying = new ArrayList<>();
    private final List<Conn> all = new ArrayList<>();
    private long nextTimeoutCheck;
    private final java.util.Map<String, AtomicInteger> reasons = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running = true;
    final AtomicInteger inFlight = new AtomicInteger();

    HeldPolls(int wait, BiConsumer<Agent, String> onAnswer, AtomicInteger errors) throws IOException {
        this.wait = wait;
        this.onAnswer = onAnswer;
        this.errors = errors;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "bench-held-polls");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts polling for these agents. */
    void start(List<? extends Agent> agents) {
        for (Agent a : agents) {
            starting.add(new Conn(a));
        }
        selector.wakeup();
    }

    private void count(String reason) {
        errors.incrementAndGet();
        reasons.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The errors so far by reason, and resets them. */
    String errorsByReason() {
        StringBuilder b = new StringBuilder();
        for (var e : reasons.entrySet()) {
            int n = e.getValue().getAndSet(0);
            if (n > 0) {
                b.append(b.length() == 0 ? "" : "; ").append(n).append(" × ").append(e.getKey());
            }
        }
        return b.length() == 0 ? "none" : b.toString();
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
        try {
            while (running) {
                selector.select(200);
                for (Conn c; (c = starting.poll()) != null; ) {
                    all.add(c);
                    c.connect();
                }
                long now = System.nanoTime();
                if (now >= nextTimeoutCheck) {
                    nextTimeoutCheck = now + 1_000_000_000L;
                    long limit = (wait + 30) * 1_000_000_000L;
                    for (Conn c : all) {
                        if (c.polling && now - c.sentAt > limit) {
                            c.fail("no answer " + (wait + 30) + " s after the request"); // the core lost it
                        }
                    }
                }
                for (Iterator<Conn> it = retrying.iterator(); it.hasNext(); ) {
                    Conn c = it.next();
                    if (now >= c.retryAt) {
                        it.remove();
                        c.connect();
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey k = keys.next();
                    keys.remove();
                    Conn c = (Conn) k.attachment();
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isConnectable()) {
                            c.finishConnect();
                        } else if (k.isWritable()) {
                            c.write();
                        } else if (k.isReadable()) {
                            c.read();
                        }
                    } catch (IOException | RuntimeException e) {
                        c.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One agent's connection and the request or answer in flight on it. */
    private final class Conn {
        final Agent agent;
        final InetSocketAddress address;
        final String head;
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(4096);
        String sentBody;
        ByteBuffer request;
        long retryAt;
        long sentAt;
        boolean polling;

        Conn(Agent agent) {
            this.agent = agent;
            URI core = URI.create(agent.core());
            this.address = new InetSocketAddress(core.getHost(), core.getPort());
            this.head = "POST /api/v1/agents/" + agent.id() + "/sync?wait=" + wait + " HTTP/1.1\r\nHost: "
                    + core.getHost() + ":" + core.getPort() + "\r\nAuthorization: Bearer " + agent.key()
                    + "\r\nContent-Type: application/json\r\nContent-Length: ";
        }

        void connect() {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                if (channel.connect(address)) {
                    key = channel.register(selector, 0, this);
                    send();
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                fail("connect: " + e.getMessage());
            }
        }

        void finishConnect() throws IOException {
            channel.finishConnect();
            send();
        }

        void send() throws IOException {
            String body = agent.body();
            if (body != sentBody) { // the agent keeps the same text while nothing changed
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                byte[] h = (head + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                request = ByteBuffer.allocate(h.length + b.length).put(h).put(b).flip();
                sentBody = body;
            }
            out = request.duplicate();
            in.clear();
            sentAt = System.nanoTime();
            if (!polling) {
                polling = true;
                inFlight.incrementAndGet();
            }
            write();
        }

        void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("closed by the core");
            }
            Response r = Response.parse(in.array(), in.position());
            if (r == null) {
                return; // not all there yet
            }
            polling = false;
            inFlight.decrementAndGet();
            if (r.status != 200) {
                String detail = r.body.replaceAll(".*\"detail\":\"([^\"]*)\".*", "$1");
                count("HTTP " + r.status + (detail.length() > 100 ? "" : " " + detail));
                retryLater();
                return;
            }
            onAnswer.accept(agent, r.body);
            if (!running) {
                return;
            }
            if (r.close) {
                channel.close();
                connect();
            } else {
                send();
            }
        }

        void fail(String why) {
            count((polling ? "" : "idle: ") + why);
            retryLater();
        }

        private void retryLater() {
            if (polling) {
                polling = false;
                inFlight.decrementAndGet();
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            retryAt = System.nanoTime() + 1_000_000_000L;
            retrying.add(this);
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
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                int eol = indexOf(b, len, new byte[] {'\r', '\n'}, at);
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

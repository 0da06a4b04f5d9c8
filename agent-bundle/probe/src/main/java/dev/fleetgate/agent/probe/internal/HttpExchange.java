package dev.fleetgate.agent.probe.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request on its own connection ({@code Connection: close}), timed phase by phase:
 * DNS (the addresses are resolved once, checked against {@link Targets#refused(InetAddress[], String)} and
 * the checked address is the one connected to), TCP connect, TLS handshake (validating the chain and
 * the host name), first byte (request sent → status line) and the body. The JDK's HttpClient hides
 * these phases, so the probes speak the little HTTP they need themselves.
 */
final class HttpExchange {
    static final int MAX_HEADER_BYTES = 64 * 1024;

    /** Why an exchange failed: {@code kind} as in the probe results (dns, refused, connect, timeout, tls). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final String kind;

        Failure(String kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }
    }

    /** Phase durations in ms; {@code tlsMs} is -1 for plain http. */
    record Timing(long dnsMs, long connectMs, long tlsMs, long firstByteMs) {}

    /**
     * @param headers lower-case names; the last value of a repeated header wins
     * @param chain   the validated certificate chain (https), leaf first, or empty
     */
    record Response(
            int status,
            Map<String, String> headers,
            List<X509Certificate> chain,
            Timing timing,
            Socket socket,
            InputStream in)
            implements AutoCloseable {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /**
         * Reads the body (Content-Length, chunked, or to the end), at most {@code max} bytes; more is cut.
         *
         * @throws SocketTimeoutException past the deadline
         */
        byte[] body(int max, long deadlineNanos) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String length = header("content-length");
            boolean chunked = "chunked".equalsIgnoreCase(header("transfer-encoding"));
            if (chunked) {
                while (out.size() < max) {
                    timeout(socket, deadlineNanos);
                    String size = line(in).trim();
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
                    if (n == 0) {
                        break;
                    }
                    copy(in, out, n, max, deadlineNanos);
                    line(in);
                }
            } else if (length != null) {
                copy(in, out, Long.parseLong(length.trim()), max, deadlineNanos);
            } else {
                copy(in, out, Long.MAX_VALUE, max, deadlineNanos);
            }
            return out.toByteArray();
        }

        private void copy(InputStream in, ByteArrayOutputStream out, long n, int max, long deadlineNanos)
                throws IOException {
            byte[] buf = new byte[8192];
            long left = n;
            while (left > 0 && out.size() < max) {
                timeout(socket, deadlineNanos);
                int r = in.read(buf, 0, (int) Math.min(buf.length, Math.min(left, max - out.size())));
                if (r < 0) {
                    if (n == Long.MAX_VALUE) {
                        return;
                    }
                    throw new IOException("connection closed before the end of the body");
                }
                out.write(buf, 0, r);
                left -= r;
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private HttpExchange() {}

    /**
     * Sends {@code method url} and reads the status line and headers.
     *
     * @param headers extra request headers (already validated)
     * @throws Failure when no answer came: DNS, refused target, connect, timeout or TLS
     */
    static Response send(URI url, String method, Map<String, String> headers, long deadlineNanos) throws Failure {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        long t0 = System.nanoTime();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(Targets.bare(host));
        } catch (IOException e) {
            throw new Failure("dns", "unknown host " + host, e);
        }
        String refused = Targets.refused(addresses, host);
        if (refused != null) {
            throw new Failure("refused", refused, null);
        }
        long t1 = System.nanoTime();
        Socket socket = null;
        boolean done = false;
        try {
            socket = connect(addresses, port, deadlineNanos);
            long t2 = System.nanoTime();
            List<X509Certificate> chain = List.of();
            long t3 = t2;
            if (https) {
                socket = handshake(socket, host, port, deadlineNanos);
                t3 = System.nanoTime();
                try {
                    chain = Targets.x509(((SSLSocket) socket).getSession().getPeerCertificates());
                } catch (SSLPeerUnverifiedException e) {
                    chain = List.of();
                }
            }
            StringBuilder req = new StringBuilder();
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            req.append(method)
                    .append(' ')
                    .append(path)
                    .append(url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                    .append(" HTTP/1.1\r\n");
            req.append("Host: ")
                    .append(host)
                    .append(url.getPort() > 0 ? ":" + url.getPort() : "")
                    .append("\r\n");
            req.append("User-Agent: fleetgate-agent-probe\r\nAccept: */*\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long t4 = System.nanoTime();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            timeout(socket, deadlineNanos);
            String statusLine = line(in);
            long t5 = System.nanoTime();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
                throw new Failure("connect", "not an HTTP answer: " + cut(statusLine), null);
            }
            Map<String, String> answer = new LinkedHashMap<>();
            int bytes = statusLine.length();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                bytes += h.length();
                if (bytes > MAX_HEADER_BYTES) {
                    throw new Failure("connect", "response headers larger than " + MAX_HEADER_BYTES + " bytes", null);
                }
                int colon = h.indexOf(':');
                if (colon > 0) {
                    answer.put(
                            h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            h.substring(colon + 1).trim());
                }
                timeout(socket, deadlineNanos);
            }
            done = true;
            return new Response(
                    Integer.parseInt(parts[1]),
                    answer,
                    chain,
                    new Timing(ms(t1 - t0), ms(t2 - t1), https ? ms(t3 - t2) : -1, ms(t5 - t4)),
                    socket,
                    in);
        } catch (SocketTimeoutException e) {
            throw new Failure("timeout", "timed out", e);
        } catch (javax.net.ssl.SSLException e) {
            throw new Failure("tls", e.getMessage() == null ? "TLS handshake failed" : e.getMessage(), e);
        } catch (IOException e) {
            throw new Failure("connect", e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            if (!done && socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** Connects to the first address that accepts (a refused one is skipped; a timeout ends the probe). */
    private static Socket connect(InetAddress[] addresses, int port, long deadlineNanos) throws IOException {
        IOException last = null;
        for (InetAddress a : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(a, port), left(deadlineNanos));
                return socket;
            } catch (IOException e) {
                socket.close();
                if (e instanceof SocketTimeoutException) {
                    throw e;
                }
                last = e;
            }
        }
        throw last == null ? new IOException("no address") : last;
    }

    private static SSLSocket handshake(Socket plain, String host, int port, long deadlineNanos) throws IOException {
        SSLContext ctx;
        try {
            ctx = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(plain, Targets.bare(host), port, true);
        Targets.sni(socket, host);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        timeout(socket, deadlineNanos);
        socket.startHandshake();
        return socket;
    }

    static void timeout(Socket socket, long deadlineNanos) throws IOException {
        socket.setSoTimeout(left(deadlineNanos));
    }

    private static int left(long deadlineNanos) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** One CRLF (or LF) terminated line, ISO-8859-1, at most 16 KiB. */
    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (b.length() == 0) {
                    throw new IOException("connection closed without an answer");
                }
                break;
            }
            if (b.length() > 16 * 1024) {
                throw new IOException("line too long");
            }
            b.append((char) c);
        }
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
    }

    private static String cut(String s) {
        return s.length() > 100 ? s.substring(0, 100) : s;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

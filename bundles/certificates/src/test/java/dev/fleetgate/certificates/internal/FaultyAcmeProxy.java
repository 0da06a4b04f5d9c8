package dev.fleetgate.certificates.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.fleetgate.certificates.testing.Pebble;

/**
 * A reverse proxy in front of a real Pebble that overrides what the installed Pebble (2.4) cannot produce:
 * <ul>
 * <li>{@code rateLimited}: Pebble enforces no rate limits, so the first {@link #rateLimitNewOrders} {@code newOrder}
 * requests ({@code POST /order-plz}) are answered here with 429 and the {@code urn:ietf:params:acme:error:rateLimited}
 * problem plus {@code Retry-After}, as Let's Encrypt answers them;</li>
 * <li>ARI (RFC 9773): Pebble 2.4 has no renewal information, so while {@link #ariWindow} is set the directory gets a
 * {@code renewalInfo} URL and {@code GET /renewal-info/<certID>} answers that suggested window.</li>
 * </ul>
 * Every other request (nonces, accounts, orders, authorizations, finalization, downloads) goes to Pebble unchanged,
 * over TLS, with the client's {@code Host} header, so that Pebble builds its URLs and checks the JWS {@code url}
 * against the proxy's address. The proxy presents Pebble's own certificate (same CA file for the client) and
 * records the payload of the last {@code newOrder} (to see {@code replaces}).
 */
final class FaultyAcmeProxy implements AutoCloseable {
    static final String NEW_ORDER_PATH = "/order-plz";

    final AtomicInteger rateLimitNewOrders = new AtomicInteger();
    final AtomicInteger newOrders = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    volatile long retryAfterSeconds = 3600;
    /** The suggested renewal window answered for every certificate (start, end), or null: no ARI. */
    volatile java.time.Instant[] ariWindow;

    final AtomicInteger renewalInfoRequests = new AtomicInteger();
    volatile String lastNewOrderPayload;
    static final String RENEWAL_INFO_PATH = "/renewal-info/";

    private final SSLServerSocket server;
    private final SSLContext upstream;
    private final int pebblePort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-acme-proxy");
        t.setDaemon(true);
        return t;
    });

    FaultyAcmeProxy(Pebble pebble, int port) throws Exception {
        this.pebblePort = pebble.acmePort();
        KeyPair key = Pem.readKeyPair(Files.readString(pebble.tlsKeyFile()));
        List<X509Certificate> chain = Pem.readChain(Files.readString(pebble.tlsCertificateFile()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("pebble", key.getPrivate(), "proxy".toCharArray(), chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "proxy".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca", Pem.readChain(Files.readString(pebble.caFile())).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        upstream = SSLContext.getInstance("TLS");
        upstream.init(null, tmf.getTrustManagers(), null);
        server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(port, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** @return the directory URL through the proxy */
    String directoryUrl() {
        return "https://127.0.0.1:" + server.getLocalPort() + "/dir";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One request per connection (answers close it): the ACME client opens a new one as needed. */
    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String requestLine = text.substring(0, text.indexOf("\r\n"));
            int length = 0;
            StringBuilder forwarded = new StringBuilder(requestLine).append("\r\n");
            for (String line : text.substring(text.indexOf("\r\n") + 2).split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
                if (!lower.startsWith("connection:")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n");
            byte[] body = in.readNBytes(length);
            String[] parts = requestLine.split(" ");
            OutputStream out = client.getOutputStream();
            java.time.Instant[] window = ariWindow;
            if (window != null && parts[1].startsWith(RENEWAL_INFO_PATH)) {
                renewalInfoRequests.incrementAndGet();
                byte[] info = ("{\"suggestedWindow\":{\"start\":\"" + window[0] + "\",\"end\":\"" + window[1] + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRetry-After: 21600\r\n"
                                + "Content-Length: " + info.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(info);
                out.flush();
                return;
            }
            if (parts[0].equals("POST") && parts[1].equals(NEW_ORDER_PATH)) {
                newOrders.incrementAndGet();
                lastNewOrderPayload = payload(body);
                if (rateLimitNewOrders.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    refused.incrementAndGet();
                    byte[] problem =
                            ("{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"Error creating "
                                            + "new order :: too many certificates already issued for this exact set of domains "
                                            + "(fault injected by the test proxy)\",\"status\":429}")
                                    .getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/problem+json\r\n"
                                    + "Retry-After: " + retryAfterSeconds
                                    + "\r\nCache-Control: no-store\r\nContent-Length: "
                                    + problem.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(problem);
                    out.flush();
                    return;
                }
            }
            try (SSLSocket pebble = (SSLSocket) upstream.getSocketFactory().createSocket("127.0.0.1", pebblePort)) {
                OutputStream up = pebble.getOutputStream();
                up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                up.write(body);
                up.flush();
                if (window != null && parts[0].equals("GET") && parts[1].equals("/dir")) {
                    out.write(withRenewalInfo(pebble.getInputStream().readAllBytes(), host(text)));
                } else {
                    pebble.getInputStream().transferTo(out);
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing to answer
        }
    }

    private static String host(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("host:")) {
                return line.substring(5).trim();
            }
        }
        return "127.0.0.1";
    }

    /** The decoded JWS payload of a request body (flattened JSON serialization), or null. */
    private static String payload(byte[] body) {
        try {
            String p = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body)
                    .path("payload")
                    .asText();
            return new String(java.util.Base64.getUrlDecoder().decode(p), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Pebble's directory answer with a {@code renewalInfo} URL of this proxy added. */
    private static byte[] withRenewalInfo(byte[] response, String host) {
        String text = new String(response, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = text.substring(0, end);
        String body = text.substring(end + 4);
        StringBuilder newHead = new StringBuilder();
        boolean chunked = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:")) {
                chunked = lower.contains("chunked");
            } else if (!lower.startsWith("content-length:")) {
                newHead.append(line).append("\r\n");
            }
        }
        if (chunked) {
            StringBuilder plain = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = body.indexOf("\r\n", at);
                int size =
                        Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                plain.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            body = plain.toString();
        }
        byte[] json = body.replaceFirst("\\{", "{\"renewalInfo\":\"https://" + host + RENEWAL_INFO_PATH + "\",")
                .getBytes(StandardCharsets.UTF_8);
        newHead.append("Content-Length: ").append(json.length).append("\r\n\r\n");
        byte[] h = newHead.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + json.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(json, 0, out, h.length, json.length);
        return out;
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
            if (head.size() > 65_536) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}

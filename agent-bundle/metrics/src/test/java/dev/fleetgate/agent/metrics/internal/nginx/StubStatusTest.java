package dev.fleetgate.agent.metrics.internal.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.agent.metrics.internal.Captured;

class StubStatusTest {

    static String page(long requests) {
        return "Active connections: 291 \nserver accepts handled requests\n 16630948 16630946 " + requests
                + " \nReading: 6 Writing: 179 Waiting: 106 \n";
    }

    @Test
    void parsesThePage() {
        StubStatus.Counters c = StubStatus.parse(page(31070465));
        assertEquals(new StubStatus.Counters(291, 16630948, 16630946, 31070465, 6, 179, 106), c);
    }

    @Test
    void readsTheAdminPortAndComputesRates() throws Exception {
        AtomicLong requests = new AtomicLong(1000);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/nginx_status", exchange -> {
            byte[] body = page(requests.get()).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            StubStatus stub = new StubStatus(server.getAddress().getPort());
            stub.collect(new Captured(), 1_000_000_000L);
            requests.set(1500);
            Captured out = new Captured();
            stub.collect(out, 11_000_000_000L);
            assertNull(stub.lastError());
            assertEquals(291, out.get("nginx_connections", Map.of("state", "active")));
            assertEquals(106, out.get("nginx_connections", Map.of("state", "waiting")));
            assertEquals(50.0, out.get("nginx_requests_per_second"));
            assertEquals(0.0, out.get("nginx_connections_accepted_per_second"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noNginxIsAnErrorNotAnException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StubStatus stub = new StubStatus(port);
        Captured out = new Captured();
        stub.collect(out, 1L);
        assertTrue(out.samples.isEmpty());
        assertTrue(stub.lastError().contains("127.0.0.1:" + port));
    }
}

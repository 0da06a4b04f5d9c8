package dev.fleetgate.certificates.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.security.SecretBox;
import dev.fleetgate.security.internal.AesGcmSecretBox;

/** Test doubles of the platform services (the ACME server, the database and the HTTP validation are real). */
final class Fakes {
    private Fakes() {}

    static CertificateStore store(TestDatabase db) throws Exception {
        List<Migration> all = new java.util.ArrayList<>();
        for (String file : List.of("V1__certificates.sql", "V2__served.sql", "V3__ocsp.sql")) {
            try (InputStream in = Fakes.class.getClassLoader().getResourceAsStream("db/certificates/" + file)) {
                all.add(Migrations.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        Migrations.apply(db.dataSource(), "certificates", all);
        return new CertificateStore(db.dataSource());
    }

    static SecretBox box() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AesGcmSecretBox(key);
    }

    static CertificatesConfig config(String directoryUrl, String caFile) {
        return config(directoryUrl, caFile, false);
    }

    static CertificatesConfig config(String directoryUrl, String caFile, boolean scheduler) {
        return new CertificatesConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CertificatesConfig.class;
            }

            @Override
            public String directoryUrl() {
                return directoryUrl;
            }

            @Override
            public String caFile() {
                return caFile;
            }

            @Override
            public String email() {
                return "";
            }

            @Override
            public boolean schedulerEnabled() {
                return scheduler;
            }

            @Override
            public int tickSeconds() {
                return 1;
            }

            @Override
            public int retryInitialSeconds() {
                return 60;
            }

            @Override
            public int ocspRefreshMaxSeconds() {
                return 43200;
            }
        };
    }

    static final class Events implements EventAdmin {
        final List<Event> posted = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }

        List<Event> topic(String topic) {
            return posted.stream().filter(e -> e.getTopic().equals(topic)).toList();
        }
    }

    static final class Desired implements DesiredStateService {
        final List<String> changed = new CopyOnWriteArrayList<>();

        @Override
        public void changed(String section) {
            changed.add(section);
        }

        @Override
        public void changed(String section, String agentId) {
            changed.add(section);
        }

        @Override
        public Map<String, Long> recompute(String section) {
            return Map.of();
        }

        @Override
        public Map<String, SectionState> state(String agentId) {
            return Map.of();
        }
    }

    static final class Services implements ServiceDirectory {
        final Map<String, ServiceInfo> byId = new ConcurrentHashMap<>();

        ServiceInfo add(String name, String... domains) {
            ServiceInfo s = new ServiceInfo(
                    UUID.randomUUID().toString(), name, 1, List.of(domains), List.of(), List.of(), false, 0);
            byId.put(s.id(), s);
            return s;
        }

        @Override
        public List<ServiceInfo> services() {
            return new ArrayList<>(byId.values());
        }

        @Override
        public Optional<ServiceInfo> service(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        /** Stores the setting with the service, as the proxy module does (a new revision). */
        @Override
        public ServiceInfo setTls(String id, TlsSetting tls) {
            ServiceInfo s = byId.get(id);
            if (s == null) {
                throw dev.fleetgate.api.ApiException.notFound("Service " + id);
            }
            ServiceInfo changed = new ServiceInfo(
                    s.id(),
                    s.name(),
                    s.revision() + 1,
                    s.domains(),
                    s.agentIds(),
                    s.targets(),
                    s.containers(),
                    s.replicas(),
                    tls);
            byId.put(id, changed);
            return changed;
        }
    }

    /**
     * Answers http-01 at 127.0.0.1:port like an agent's nginx would (token → key authorization), except for
     * domains in {@link #unreachable}; counts what it published and what the CA fetched.
     */
    static final class ChallengeServer implements ChallengePublisher, AutoCloseable {
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        final Set<String> unreachable = ConcurrentHashMap.newKeySet();
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger fetched = new AtomicInteger();
        volatile RuntimeException failNextPublish;
        final List<String> publishedTokens = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        ChallengeServer(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
            server.createContext("/.well-known/acme-challenge/", ex -> {
                String host =
                        String.valueOf(ex.getRequestHeaders().getFirst("Host")).replaceFirst(":\\d+$", "");
                String token = ex.getRequestURI().getPath().substring("/.well-known/acme-challenge/".length());
                String answer = unreachable.contains(host) ? null : tokens.get(token);
                fetched.incrementAndGet();
                byte[] body = (answer == null ? "not found" : answer).getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(answer == null ? 404 : 200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
        }

        @Override
        public void publish(UUID certificateId, String domain, String token, String keyAuthorization) {
            publishedTokens.add(token);
            RuntimeException fail = failNextPublish;
            if (fail != null) {
                failNextPublish = null;
                throw fail;
            }
            published.incrementAndGet();
            tokens.put(token, keyAuthorization);
        }

        @Override
        public String awaitServed(Duration timeout) {
            return null;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

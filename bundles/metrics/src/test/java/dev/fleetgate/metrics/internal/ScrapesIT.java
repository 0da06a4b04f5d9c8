package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.persistence.testing.MutableClock;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.proxy.Target;

/** Scrape definitions: storage, validation against the services, and the agents' metrics section. */
class ScrapesIT {
    @RegisterExtension
    static final MetricsDatabase db = new MetricsDatabase();

    static final String SHOP = "0b0e7a8e-1111-4c4c-9d9d-00000000000a";
    static final String BLOG = "0b0e7a8e-1111-4c4c-9d9d-00000000000b";

    private MetricsStorage storage;
    private ScrapeStore store;
    private Scrapes scrapes;
    private ServiceDirectory directory;
    private ProxyServiceCatalog catalog;
    private final DesiredStateService desired = mock(DesiredStateService.class);

    private static AgentInfo agent(String id) {
        return new AgentInfo(
                id, id, id + ".lan", AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, Instant.now(), "0.1.0", "127.0.0.1");
    }

    /** Mocked rather than built, so that fields the proxy module adds later do not break this test. */
    private static ServiceDirectory.ServiceInfo service(String id, String name, List<String> agents, int port) {
        ServiceDirectory.ServiceInfo s = mock(ServiceDirectory.ServiceInfo.class);
        Target t = mock(Target.class);
        when(t.host()).thenReturn("127.0.0.1");
        when(t.port()).thenReturn(port);
        when(s.id()).thenReturn(id);
        when(s.name()).thenReturn(name);
        when(s.agentIds()).thenReturn(agents);
        when(s.targets()).thenReturn(List.of(t));
        return s;
    }

    @BeforeEach
    void start() {
        db.truncate();
        storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), new MutableClock(Instant.now()));
        store = new ScrapeStore(storage);
        scrapes = new Scrapes(store);
        scrapes.desiredState = desired;
        directory = mock(ServiceDirectory.class);
        ServiceDirectory.ServiceInfo shop = service(SHOP, "shop", List.of("a1", "a2"), 9001);
        ServiceDirectory.ServiceInfo blog = service(BLOG, "blog", List.of("a2"), 9002);
        when(directory.services()).thenReturn(List.of(blog, shop));
        when(directory.service(SHOP)).thenReturn(Optional.of(shop));
        when(directory.service(BLOG)).thenReturn(Optional.of(blog));
        catalog = new ProxyServiceCatalog(store);
        catalog.desiredState = desired;
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    @Test
    void withoutTheProxyModuleAPutIs503() {
        ApiException e = assertThrows(ApiException.class, () -> scrapes.put(SHOP, Json.parse("{\"format\":\"json\"}")));
        assertEquals(503, e.status());
        scrapes.catalog = catalog; // registered, but the proxy's directory is not there
        assertEquals(
                503,
                assertThrows(ApiException.class, () -> scrapes.put(SHOP, Json.parse("{\"format\":\"json\"}")))
                        .status());
    }

    @Test
    void putGetListDeleteAndTheSectionPerAgent() {
        catalog.setDirectory(directory);
        scrapes.catalog = catalog;
        ScrapeStore.Scrape s =
                scrapes.put(SHOP, Json.parse("{\"format\":\"prometheus\",\"path\":\"/m\",\"intervalSeconds\":15}"));
        assertEquals(new ScrapeStore.Scrape(SHOP, "prometheus", "/m", 15, s.updatedAt()), s);
        scrapes.put(BLOG, Json.parse("{\"format\":\"json\",\"path\":\"/stats\"}"));
        ScrapeStore.Scrape replaced = scrapes.put(SHOP.toUpperCase(), Json.parse("{\"format\":\"prometheus\"}"));
        assertEquals("/metrics", replaced.path());
        assertEquals(2, scrapes.list().size());
        assertEquals(Optional.of("shop"), scrapes.serviceName(SHOP));
        assertEquals(
                404,
                assertThrows(
                                ApiException.class,
                                () -> scrapes.put(
                                        "0b0e7a8e-1111-4c4c-9d9d-0000000000ff", Json.parse("{\"format\":\"json\"}")))
                        .status());
        verify(desired, org.mockito.Mockito.atLeast(3)).changed(MetricsStateContributor.SECTION);

        MetricsStateContributor contributor = new MetricsStateContributor(store, 20);
        contributor.setCatalog(catalog);
        Map<String, JsonNode> sections = contributor.computeAll(List.of(agent("a1"), agent("a2"), agent("a3")));
        assertEquals(
                Json.parse("{\"intervalSeconds\":20,\"scrapes\":[{\"serviceId\":\"" + SHOP + "\",\"serviceName\":"
                        + "\"shop\",\"format\":\"prometheus\",\"path\":\"/metrics\",\"intervalSeconds\":10,\"targets\":"
                        + "[{\"host\":\"127.0.0.1\",\"port\":9001}]}]}"),
                sections.get("a1"));
        JsonNode a2 = sections.get("a2").get("scrapes");
        assertEquals(
                List.of("blog", "shop"),
                List.of(
                        a2.get(0).get("serviceName").asText(),
                        a2.get(1).get("serviceName").asText()),
                "by service name");
        assertEquals(Json.parse("{\"intervalSeconds\":20,\"scrapes\":[]}"), sections.get("a3"));

        scrapes.delete(BLOG);
        assertEquals(
                404, assertThrows(ApiException.class, () -> scrapes.get(BLOG)).status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> scrapes.delete(BLOG)).status());
        assertEquals(1, contributor.compute(agent("a2")).get("scrapes").size());
    }

    @Test
    void aDeletedServiceLosesItsScrape() {
        catalog.setDirectory(directory);
        scrapes.catalog = catalog;
        scrapes.put(SHOP, Json.parse("{\"format\":\"json\"}"));
        catalog.handleEvent(new Event(
                ServiceDirectory.TOPIC_CHANGED, Map.of("serviceId", SHOP, "action", "UPDATED", "revision", 2L)));
        assertEquals(1, store.list().size());
        catalog.handleEvent(new Event(
                ServiceDirectory.TOPIC_CHANGED, Map.of("serviceId", SHOP, "action", "DELETED", "revision", -1L)));
        assertTrue(store.list().isEmpty());
    }

    @Test
    void withoutTheCatalogAgentsGetTheIntervalAndNoScrapes() {
        store.put(java.util.UUID.fromString(SHOP), "json", "/m", 10);
        MetricsStateContributor contributor = new MetricsStateContributor(store, 10);
        assertEquals(Json.parse("{\"intervalSeconds\":10,\"scrapes\":[]}"), contributor.compute(agent("a1")));
    }
}

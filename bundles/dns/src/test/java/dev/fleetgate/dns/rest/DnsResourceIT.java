package dev.fleetgate.dns.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.dns.internal.DnsTesting;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The resource on a real database while the reconciler is absent (proxy module stopped). */
class DnsResourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static DnsResource resource;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        DnsTesting.Stores s = DnsTesting.stores(db.dataSource());
        resource = DnsResource.of(s.zones(), s.records(), null);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void zonesStayManageableWithoutTheReconciler() {
        ObjectNode b = JSON.createObjectNode();
        b.put("zone", "rest.test");
        b.put("server", "127.0.0.1");
        b.put("tsigKeyName", "fleetgate");
        b.put("tsigSecret", "Xa3us1bYTyJu/4Vc6GqvqKr1axa1JK6/64MYJZBtttw=");
        UriInfo uri = Mockito.mock(UriInfo.class);
        Mockito.when(uri.getAbsolutePathBuilder())
                .thenAnswer(i -> UriBuilder.fromUri(URI.create("http://core/api/v1/dns/zones")));
        Response created = resource.createZone(b, uri);
        assertEquals(201, created.getStatus());
        ObjectNode z = (ObjectNode) created.getEntity();
        assertTrue(created.getLocation()
                .toString()
                .endsWith("/dns/zones/" + z.get("id").asText()));
        assertFalse(z.has("tsigSecret"));
        assertEquals(
                "rest.test.", resource.getZone(z.get("id").asText()).get("zone").asText());
        assertEquals(1, resource.listZones().size());
        assertEquals(List.of(), resource.listRecords(null));
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> resource.listRecords("nope"))
                        .status());
        assertEquals(
                503, assertThrows(ApiException.class, () -> resource.sync()).status());
        assertEquals(
                503,
                assertThrows(
                                ApiException.class,
                                () -> resource.deleteZone(z.get("id").asText(), false))
                        .status());
    }
}

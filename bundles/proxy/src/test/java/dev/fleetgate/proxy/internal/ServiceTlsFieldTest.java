package dev.fleetgate.proxy.internal;

import static dev.fleetgate.proxy.internal.ValidatorAssertions.invalid;
import static dev.fleetgate.proxy.internal.ValidatorAssertions.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.FieldError;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;
import dev.fleetgate.proxy.ServiceDirectory.TlsSetting;

/** The service's {@code tls} field: validation, storage shape and what other modules see. */
class ServiceTlsFieldTest {
    private static final String CERT = "5f0c8f5e-8a7b-4a35-9d1a-1c2b3d4e5f60";

    private static ObjectNode with(String tls) {
        ObjectNode b = Bodies.minimal();
        b.set("tls", Bodies.json(tls));
        return b;
    }

    @Test
    void absentOrNullIsOff() {
        assertEquals(TlsSetting.OFF, valid(Bodies.minimal()).tls());
        ObjectNode b = Bodies.minimal();
        b.putNull("tls");
        assertEquals(TlsSetting.OFF, valid(b).tls());
    }

    @Test
    void autoDefaultsToRedirect() {
        assertEquals(
                new TlsSetting("auto", null, true, null),
                valid(with("{'mode':'auto'}")).tls());
        assertEquals(
                new TlsSetting("auto", null, false, 31536000L),
                valid(with("{'mode':'auto','redirectHttp':false,'hstsMaxAgeSeconds':31536000}"))
                        .tls());
    }

    @Test
    void customNeedsACertificateId() {
        assertEquals(
                new TlsSetting("custom", CERT, true, null),
                valid(with("{'mode':'custom','certificateId':'" + CERT.toUpperCase() + "'}"))
                        .tls());
        invalid(with("{'mode':'custom'}"), "tls.certificateId");
        invalid(with("{'mode':'custom','certificateId':'nope'}"), "tls.certificateId");
        invalid(with("{'mode':'auto','certificateId':'" + CERT + "'}"), "tls.certificateId");
    }

    @Test
    void everyFailingFieldIsNamed() {
        assertEquals(Set.of("tls.mode"), fields(with("{}")));
        assertEquals(Set.of("tls.mode"), fields(with("{'mode':'on'}")));
        assertEquals(Set.of("tls"), fields(Bodies.minimal().put("tls", "auto")));
        assertEquals(
                Set.of("tls.mode", "tls.redirectHttp", "tls.hstsMaxAgeSeconds", "tls.extra"),
                fields(with("{'mode':3,'redirectHttp':'yes','hstsMaxAgeSeconds':-1,'extra':1}")));
        assertEquals(Set.of("tls.hstsMaxAgeSeconds"), fields(with("{'mode':'auto','hstsMaxAgeSeconds':63072001}")));
    }

    @Test
    void storedDocumentRoundTripsAndOldDocumentsReadOff() throws Exception {
        ServiceConfig c = valid(with("{'mode':'auto','redirectHttp':true,'hstsMaxAgeSeconds':300}"));
        String stored = Json.MAPPER.writeValueAsString(c);
        assertEquals(c, Json.MAPPER.readValue(stored, ServiceConfig.class));
        ObjectNode old = (ObjectNode) Json.MAPPER.readTree(stored);
        old.remove("tls");
        assertEquals(
                TlsSetting.OFF,
                Json.MAPPER.treeToValue(old, ServiceConfig.class).tls());
        JsonNode tls = Json.MAPPER.readTree(stored).get("tls");
        assertEquals("auto", tls.get("mode").asText());
        assertEquals(300, tls.get("hstsMaxAgeSeconds").asInt());
    }

    @Test
    void directoryHandsTheSettingToOtherModules() {
        ServiceConfig c = valid(with("{'mode':'custom','certificateId':'" + CERT + "','redirectHttp':false}"));
        ServiceInfo info = ServiceDirectoryImpl.info(
                new StoredService(java.util.UUID.randomUUID(), 3, c, java.time.Instant.now(), java.time.Instant.now()));
        assertEquals(new TlsSetting("custom", CERT, false, null), info.tls());
        assertEquals(
                TlsSetting.OFF,
                new ServiceInfo("id", "n", 1, java.util.List.of(), java.util.List.of(), java.util.List.of(), false, 0)
                        .tls());
    }

    @Test
    void statusSaysWhyTlsIsNotServedWithoutATlsModule() {
        assertNull(ServiceStatus.tlsState(TlsSetting.OFF, false));
        TlsSetting auto = new TlsSetting("auto", null, true, null);
        assertEquals(
                new ServiceStatus.TlsState("auto", ServiceStatus.NO_TLS_MODULE), ServiceStatus.tlsState(auto, false));
        assertEquals(new ServiceStatus.TlsState("auto", null), ServiceStatus.tlsState(auto, true));
    }

    private static Set<String> fields(ObjectNode b) {
        return ValidatorAssertions.VALIDATOR.validate(b).errors().stream()
                .map(FieldError::field)
                .collect(Collectors.toSet());
    }
}

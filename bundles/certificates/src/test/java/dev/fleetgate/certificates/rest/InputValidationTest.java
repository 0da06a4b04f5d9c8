package dev.fleetgate.certificates.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

/** Every bad input is a 400 naming its field (or a 404 for a bad id), checked before the module is asked. */
class InputValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CertificatesResource certificates = new CertificatesResource(null);
    private final ServiceTlsResource tls = new ServiceTlsResource(null);

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static List<String> fields(ApiException e) {
        assertEquals(400, e.status(), e.getMessage());
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aRequestNeedsValidDistinctDomains() throws Exception {
        assertEquals(List.of("body"), fields(assertThrows(ApiException.class, () -> certificates.request(null, null))));
        assertEquals(
                List.of("body"),
                fields(assertThrows(ApiException.class, () -> certificates.request(json("[]"), null))));
        assertEquals(
                List.of("domains"),
                fields(assertThrows(ApiException.class, () -> certificates.request(json("{}"), null))));
        assertEquals(
                List.of("domains"),
                fields(assertThrows(
                        ApiException.class, () -> certificates.request(json("{\"domains\":\"a.test\"}"), null))));
        assertEquals(
                List.of("domains"),
                fields(assertThrows(ApiException.class, () -> certificates.request(json("{\"domains\":[]}"), null))));
        assertEquals(
                List.of("domains[1]", "domains[2]", "domains[3]"),
                fields(assertThrows(
                        ApiException.class,
                        () -> certificates.request(
                                json("{\"domains\":[\"a.test\",\"bad..name\",\"A.TEST\",\"x.*.test\"]}"), null))));
        assertEquals(
                List.of("domains[0]", "extra"),
                fields(assertThrows(
                        ApiException.class, () -> certificates.request(json("{\"domains\":[7],\"extra\":1}"), null))));
        StringBuilder many = new StringBuilder("{\"domains\":[");
        for (int i = 0; i <= CertificatesResource.MAX_DOMAINS; i++) {
            many.append(i == 0 ? "" : ",").append("\"d").append(i).append(".test\"");
        }
        assertEquals(
                List.of("domains"),
                fields(assertThrows(ApiException.class, () -> certificates.request(json(many + "]}"), null))));
    }

    @Test
    void anUploadNeedsBothPems() throws Exception {
        assertEquals(
                List.of("certificatePem", "privateKeyPem"),
                fields(assertThrows(ApiException.class, () -> certificates.upload(json("{}"), null))));
        assertEquals(
                List.of("privateKeyPem"),
                fields(assertThrows(
                        ApiException.class,
                        () -> certificates.upload(
                                json("{\"certificatePem\":\"x\",\"privateKeyPem\":"
                                        + JSON.writeValueAsString("k".repeat(CertificatesResource.MAX_PEM + 1)) + "}"),
                                null))));
    }

    @Test
    void theAccountNeedsAnAddress() throws Exception {
        assertEquals(
                List.of("termsAgreed", "email"),
                fields(assertThrows(
                        ApiException.class,
                        () -> certificates.saveAccount(
                                json("{\"email\":\"not an address\",\"termsAgreed\":\"yes\"}")))));
    }

    @Test
    void badIdsAreNotFound() {
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> certificates.get("nope")).status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> certificates.renew("1234"))
                        .status());
        assertEquals(
                404, assertThrows(ApiException.class, () -> tls.put("x", null)).status());
    }

    @Test
    void serviceTlsNeedsAKnownModeAndACertificateForCustom() throws Exception {
        String id = "00000000-0000-0000-0000-000000000001";
        assertEquals(List.of("body"), fields(assertThrows(ApiException.class, () -> tls.put(id, null))));
        assertEquals(List.of("mode"), fields(assertThrows(ApiException.class, () -> tls.put(id, json("{}")))));
        assertEquals(
                List.of("mode"),
                fields(assertThrows(ApiException.class, () -> tls.put(id, json("{\"mode\":\"on\"}")))));
        assertEquals(
                List.of("certificateId"),
                fields(assertThrows(ApiException.class, () -> tls.put(id, json("{\"mode\":\"custom\"}")))));
        assertEquals(
                List.of("certificateId", "redirectHttp", "hstsMaxAgeSeconds"),
                fields(assertThrows(
                        ApiException.class,
                        () -> tls.put(
                                id,
                                json("{\"mode\":\"custom\",\"certificateId\":\"x\","
                                        + "\"redirectHttp\":1,\"hstsMaxAgeSeconds\":-1}")))));
    }
}

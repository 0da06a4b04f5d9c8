package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.proxy.Tls;

class TlsSealedKeyTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void aSealedKeyIsWrittenAsASealedObjectAndReadBack() throws Exception {
        Tls tls = new Tls("c1", "CERT", Tls.sealedKey("v1:abc"), true, null);
        JsonNode json = M.valueToTree(tls);
        assertTrue(json.get("privateKeyPem").isObject());
        assertEquals("v1:abc", json.get("privateKeyPem").get("$sealed").asText());
        assertEquals(tls, M.treeToValue(json, Tls.class));
    }

    @Test
    void aPlainKeyStaysAString() throws Exception {
        Tls tls = new Tls("c1", "CERT", "-----BEGIN PRIVATE KEY-----", false, 600L);
        JsonNode json = M.valueToTree(tls);
        assertEquals("-----BEGIN PRIVATE KEY-----", json.get("privateKeyPem").asText());
        assertEquals(tls, M.treeToValue(json, Tls.class));
    }
}

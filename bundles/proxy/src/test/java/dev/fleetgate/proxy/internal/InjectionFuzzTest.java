package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.FieldError;

/**
 * Injection fuzz: nginx-significant characters in every string field of a full body are
 * refused with a 400 naming the field, never an exception; and no accepted body carries
 * them into a field that reaches the proxy configuration.
 */
class InjectionFuzzTest {
    private static final List<String> PAYLOADS = List.of(
            ";",
            "}",
            "{",
            "\"",
            "'",
            "\\",
            "\r\n",
            "\n",
            "\r",
            "$",
            "${host}",
            "x;\n}\nserver {",
            "\u0000",
            "\u2028",
            "\t");
    private static final List<String> CONTROL = List.of("\r\n", "\n", "\r", "\u0000", "\u2028", "\t");

    /** JSON pointer of a string value → the field its error must name. */
    private static final Map<String, String> NGINX_VALUES = Map.ofEntries(
            Map.entry("/name", "name"),
            Map.entry("/domains/0", "domains[0]"),
            Map.entry("/domains/1", "domains[1]"),
            Map.entry("/agentIds/0", "agentIds[0]"),
            Map.entry("/upstream/targets/0/host", "upstream.targets[0].host"),
            Map.entry("/upstream/targets/1/host", "upstream.targets[1].host"),
            Map.entry("/upstream/lbMethod", "upstream.lbMethod"),
            Map.entry("/upstream/healthCheck/path", "upstream.healthCheck.path"),
            Map.entry("/maxBodySize", "maxBodySize"),
            Map.entry("/requestHeaders/X-Env", "requestHeaders.X-Env"),
            Map.entry("/responseHeaders/X-Frame-Options", "responseHeaders.X-Frame-Options"),
            Map.entry("/containers/image", "containers.image"),
            Map.entry("/containers/memory", "containers.memory"),
            Map.entry("/containers/restartPolicy", "containers.restartPolicy"),
            Map.entry("/containers/network", "containers.network"));
    /** Strings handed to Docker, not nginx: only control characters are refused. */
    private static final Map<String, String> DOCKER_VALUES = Map.of(
            "/containers/command", "containers.command",
            "/containers/env/MODE", "containers.env.MODE");
    /** Object whose keys are names → field of the error for a bad key. */
    private static final Map<String, String> KEYS = Map.of(
            "/requestHeaders", "requestHeaders",
            "/responseHeaders", "responseHeaders",
            "/containers/env", "containers.env");

    @Test
    void everyNginxBoundStringFieldRefusesEveryPayload() {
        for (Map.Entry<String, String> f : NGINX_VALUES.entrySet()) {
            for (String payload : PAYLOADS) {
                for (String value : variants(original(f.getKey()), payload)) {
                    ObjectNode body = Bodies.full();
                    set(body, f.getKey(), value);
                    ValidatorAssertions.invalid(body, f.getValue());
                }
            }
        }
    }

    @Test
    void dockerBoundStringsRefuseControlCharactersOnly() {
        for (Map.Entry<String, String> f : DOCKER_VALUES.entrySet()) {
            for (String payload : PAYLOADS) {
                ObjectNode body = Bodies.full();
                set(body, f.getKey(), original(f.getKey()) + payload);
                if (CONTROL.contains(payload) || payload.contains("\n")) {
                    ValidatorAssertions.invalid(body, f.getValue());
                } else {
                    ValidatorAssertions.valid(body);
                }
            }
        }
    }

    @Test
    void everyNameKeyRefusesEveryPayload() {
        for (Map.Entry<String, String> f : KEYS.entrySet()) {
            for (String payload : PAYLOADS) {
                ObjectNode body = Bodies.full();
                ObjectNode obj = (ObjectNode) body.at(f.getKey());
                obj.put("X" + payload + "Y", "v");
                ValidatorAssertions.invalid(body, f.getValue());
            }
        }
    }

    @Test
    void randomStringsNeverThrowAndNeverReachTheSpec() {
        Random random = new Random(20260101L);
        String alphabet = "aZ09-._~/:?=&%*@!,;{}\"'\\$ \r\n\t\u0000\u00e9\u4e2d#<>[]()|^`+";
        List<String> pointers = new ArrayList<>(NGINX_VALUES.keySet());
        pointers.addAll(DOCKER_VALUES.keySet());
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(12);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String pointer = pointers.get(random.nextInt(pointers.size()));
            ObjectNode body = Bodies.full();
            set(body, pointer, random.nextBoolean() ? original(pointer) + sb : sb.toString());
            ServiceValidator.Result r = ValidatorAssertions.VALIDATOR.validate(body);
            if (r.ok()) {
                accepted++;
                assertClean(r.config());
            } else {
                for (FieldError e : r.errors()) {
                    assertFalse(e.field() == null || e.field().isEmpty(), "every error names a field");
                }
            }
        }
        assertTrue(accepted > 0, "some random values are legitimate");
    }

    private static void assertClean(ServiceConfig c) {
        List<String> strings = new ArrayList<>(List.of(c.name(), c.upstream().lbMethod(), c.maxBodySize()));
        strings.addAll(c.domains());
        c.upstream().targets().forEach(t -> strings.add(t.host()));
        if (c.upstream().healthCheck() != null) {
            strings.add(c.upstream().healthCheck().path());
        }
        for (Map<String, String> h : List.of(c.requestHeaders(), c.responseHeaders())) {
            h.forEach((k, v) -> {
                strings.add(k);
                strings.add(v);
            });
        }
        for (String s : strings) {
            for (char ch : s.toCharArray()) {
                assertTrue(
                        ch >= 0x20 && ch < 0x7f && ";{}\"'\\$".indexOf(ch) < 0,
                        () -> "unsafe character reached the config: " + s);
            }
        }
    }

    private static List<String> variants(String original, String payload) {
        int mid = original.length() / 2;
        return List.of(
                original + payload,
                payload + original,
                original.substring(0, mid) + payload + original.substring(mid),
                payload);
    }

    private static String original(String pointer) {
        return Bodies.full().at(pointer).asText();
    }

    private static void set(ObjectNode body, String pointer, String value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = body.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).put(last, value);
        }
    }
}

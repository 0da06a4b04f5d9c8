package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void defaultsRoundTrip() {
        Settings d = Settings.defaults();
        assertEquals("shadow", d.mode);
        assertEquals("limit", d.detector(Settings.FLOOD).action());
        assertEquals("block", d.detector(Settings.SCAN).action());
        Settings again = Settings.fromMap(d.toMap(), (f, m) -> {
            throw new AssertionError(f + " " + m);
        });
        assertEquals(d.toMap(), again.toMap());
    }

    @Test
    void readsModesAndThresholds() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "enforce");
        m.put("allow", List.of("10.0.0.0/8"));
        m.put(
                "detectors",
                Map.of(
                        "scan",
                        Map.of("mode", "shadow", "threshold", 5),
                        "errors",
                        Map.of("mode", "off"),
                        "bruteforce",
                        Map.of("action", "challenge")));
        m.put("rules", List.of(Map.of("id", "x", "target", "userAgent", "pattern", "evil", "weight", 3)));
        Settings s = Settings.fromMap(m, (f, msg) -> {
            throw new AssertionError(f + " " + msg);
        });
        assertNotNull(s);
        assertEquals("enforce", s.modeOf(Settings.FLOOD));
        assertEquals("shadow", s.modeOf(Settings.SCAN));
        assertEquals("off", s.modeOf(Settings.ERRORS));
        assertEquals(5, s.detector(Settings.SCAN).param("threshold"));
        assertEquals("challenge", s.detector(Settings.BRUTEFORCE).action());
        assertEquals(List.of(new Rule("x", "userAgent", false, "evil", 3, false)), s.rules);
    }

    @Test
    void reportsEveryBadField() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "block");
        m.put("allow", List.of("10.0.0.0/8", "nope"));
        m.put("windowSeconds", 1);
        m.put("detectors", Map.of("scan", Map.of("threshold", -1, "x", 1), "nosuch", Map.of()));
        m.put("rules", List.of(Map.of("id", "r", "regex", true, "pattern", "(")));
        m.put("extra", 1);
        Map<String, String> errors = new LinkedHashMap<>();
        assertNull(Settings.fromMap(m, errors::put));
        assertTrue(errors.containsKey("mode"), errors.toString());
        assertTrue(errors.containsKey("allow[1]"), errors.toString());
        assertTrue(errors.containsKey("windowSeconds"), errors.toString());
        assertTrue(errors.containsKey("detectors.scan.threshold"), errors.toString());
        assertTrue(errors.containsKey("detectors.scan.x"), errors.toString());
        assertTrue(errors.containsKey("detectors.nosuch"), errors.toString());
        assertTrue(errors.containsKey("rules[0].pattern"), errors.toString());
        assertTrue(errors.containsKey("extra"), errors.toString());
    }
}

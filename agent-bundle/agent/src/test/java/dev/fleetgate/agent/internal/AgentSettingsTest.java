package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    @Test
    void readsFrameworkPropertiesWithDefaults() {
        Map<String, String> props = Map.of(
                AgentSettings.CORE,
                "http://127.0.0.1:8181/",
                AgentSettings.STATE_DIR,
                "/tmp/fga",
                AgentSettings.NAME,
                "web-1");
        AgentSettings settings = AgentSettings.from(props::get);
        assertEquals("http://127.0.0.1:8181", settings.core().toString());
        assertEquals("web-1", settings.name());
        assertEquals("host", settings.role());
        assertEquals("127.0.0.1", settings.address());
        assertEquals(Path.of("/tmp/fga"), settings.stateDir());
        assertNull(settings.token());
    }

    @Test
    void rejectsMissingOrInvalidValues() {
        assertThrows(
                IllegalArgumentException.class, () -> AgentSettings.from(Map.of(AgentSettings.STATE_DIR, "/x")::get));
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentSettings.from(Map.of(AgentSettings.CORE, "ftp://x", AgentSettings.STATE_DIR, "/x")::get));
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentSettings.from(
                        Map.of(AgentSettings.CORE, "https://x", AgentSettings.STATE_DIR, "/x", AgentSettings.ROLE, "db")
                                ::get));
    }

    @Test
    void hostnameBecomesAValidName() {
        assertEquals("web-1.lan", AgentSettings.nameFrom("web-1.lan"));
        assertEquals("my-host", AgentSettings.nameFrom("_my host"));
        assertEquals("agent", AgentSettings.nameFrom("__"));
        assertEquals(63, AgentSettings.nameFrom("a".repeat(100)).length());
    }
}

package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The settings from the typed configuration (etc/dev.fleetgate.agent.nginx.cfg) and their builder. */
class NginxSettingsTest {

    @Test
    void theDefaultsOfTheConfiguration() {
        NginxSettings s = NginxSettings.from(Specs.configuration(Map.of()), Path.of("/var/lib/fleetgate"));
        assertEquals(
                NginxSettings.builder()
                        .nginxBinary("/usr/sbin/nginx")
                        .httpPort(80)
                        .httpsPort(443)
                        .listenAddress("0.0.0.0")
                        .adminPort(18081)
                        .workDir(Path.of("/var/lib/fleetgate/nginx"))
                        .workerProcesses("auto")
                        .workerConnections(4096)
                        .luaModules(List.of(
                                "/usr/lib/nginx/modules/ndk_http_module.so",
                                "/usr/lib/nginx/modules/ngx_http_lua_module.so"))
                        .luaPackagePath("")
                        .peersDictSize("16m")
                        .healthCheckThreads(4)
                        .accessLogMaxBytes(64L * 1024 * 1024)
                        .accessLogPollMillis(500)
                        .build(),
                s);
        assertEquals(List.of(), s.trustedProxies());
        assertEquals(false, s.httpsAlwaysOn());
    }

    @Test
    void listsAreSplitAtCommasAndTheWorkDirIsAbsolute() {
        NginxSettings s = NginxSettings.from(
                Specs.configuration(Map.of(
                        "workDir", "/srv/fg/../nginx",
                        "luaModules", " /m/a.so, ,/m/b.so ",
                        "trustedProxies", "127.0.0.1, 10.0.0.0/8,",
                        "httpsAlwaysOn", true)),
                Path.of("/unused"));
        assertEquals(Path.of("/srv/nginx"), s.workDir());
        assertEquals(List.of("/m/a.so", "/m/b.so"), s.luaModules());
        assertEquals(List.of("127.0.0.1", "10.0.0.0/8"), s.trustedProxies());
        assertTrue(s.httpsAlwaysOn());
    }

    @Test
    void aCopyChangesOnlyWhatItIsTold() {
        NginxSettings s = Specs.settings(Path.of("/w"), 8080, 18081, "2", "64m", true);
        assertEquals(s, s.toBuilder().build());
        NginxSettings trusting = s.withTrustedProxies(List.of("127.0.0.1"));
        assertEquals(List.of("127.0.0.1"), trusting.trustedProxies());
        assertEquals(s, trusting.withTrustedProxies(List.of()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> s.toBuilder().peersDictSize("1g").build());
        assertEquals("invalid nginx setting peersDictSize: 1g", e.getMessage());
    }
}

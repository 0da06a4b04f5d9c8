package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access rules for IPv4-mapped IPv6 clients (ports 22920–22929): a dual-stack listener ({@code [::]:port
 * ipv6only=off}) sees an IPv4 client as {@code ::ffff:a.b.c.d}; IPv4 rules match it as {@code a.b.c.d}, as nginx's
 * own allow/deny do. The driver's generated configuration is started with only its listen line made dual-stack.
 */
class MappedClientsIT extends WithNginx {
    static final int HTTP = 22920;
    static final int ADMIN = 22922;

    private Backend a;
    private Path dualStack;

    MappedClientsIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 22925);
    }

    /** The dual-stack nginx a test started stops before the driver's (gone by then: nothing to stop). */
    @AfterEach
    void stopDualStack() throws Exception {
        if (dualStack != null) {
            var pid = new NginxProcess("/usr/sbin/nginx", driver.settings().pidFile()).pid();
            NginxProcess.run(java.util.List.of("/usr/sbin/nginx", "-c", dualStack.toString(), "-s", "quit"));
            pid.flatMap(ProcessHandle::of).ifPresent(h -> h.onExit().join());
        }
    }

    @Test
    void ipv4RulesMatchIpv4MappedClients() throws Exception {
        Specs.Service denied = Specs.service("d", "denied.test", a.port);
        denied.site.putArray("accessRules").addObject().put("action", "deny").put("source", "127.0.0.1");
        Specs.Service allowed = Specs.service("l", "allowed.test", a.port);
        var rules = allowed.site.putArray("accessRules");
        rules.addObject().put("action", "allow").put("source", "127.0.0.0/8");
        rules.addObject().put("action", "deny").put("source", "all");
        Specs.Service mapped = Specs.service("m", "mapped.test", a.port);
        mapped.site.putArray("accessRules").addObject().put("action", "deny").put("source", "::ffff:7f00:0/104");
        driver.apply(1, Specs.spec(denied, allowed, mapped));
        // the IPv4 listener the driver generates: the client is 127.0.0.1
        assertEquals(403, Http.get(HTTP, "denied.test", "/").status());
        assertEquals(200, Http.get(HTTP, "allowed.test", "/").status());
        assertEquals(200, Http.get(HTTP, "mapped.test", "/").status(), "an IPv6 rule does not match an IPv4 client");

        // the same configuration and routes on a dual-stack listener: the client is ::ffff:127.0.0.1
        String conf = Files.readString(driver.settings().confFile());
        String listen = "listen 127.0.0.1:" + HTTP + " default_server";
        assertTrue(conf.contains(listen), conf);
        dualStack = work.resolve("dual-stack.conf");
        Files.writeString(dualStack, conf.replace(listen, "listen [::]:" + HTTP + " ipv6only=off default_server"));
        driver.stopNginx();
        NginxProcess.Result started =
                NginxProcess.run(java.util.List.of("/usr/sbin/nginx", "-c", dualStack.toString()));
        assertTrue(started.ok(), started.output());
        Await.until(
                "the dual-stack nginx answers",
                java.time.Duration.ofSeconds(10),
                () -> Http.get(HTTP, "mapped.test", "/").status() == 403);
        // ::ffff:7f00:0/104 (::ffff:127.0.0.0/104) matching proves nginx sees the mapped address; the IPv4 rules still
        // apply to it
        assertEquals(403, Http.get(HTTP, "denied.test", "/").status(), "deny 127.0.0.1 matches ::ffff:127.0.0.1");
        assertEquals(200, Http.get(HTTP, "allowed.test", "/").status(), "allow 127.0.0.0/8 matches it too");
        assertEquals("A", Http.get(HTTP, "allowed.test", "/").body());
    }
}

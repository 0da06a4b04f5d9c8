package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.persistence.testing.MutableClock;

class EnrolmentIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();
    private Core core;

    @BeforeEach
    void start() {
        core = new Core(db.dataSource(), Settings.defaults(), clock);
    }

    @AfterEach
    void stop() {
        core.close();
    }

    private static Enrolment.Request request(String token, String name) {
        return new Enrolment.Request(token, name, "host.lan", "edge", "0.1.0");
    }

    @Test
    void tokenEnrolsOnceAndTheKeyWorks() {
        Enrolment.Token t = core.enrolment.createToken(null, 60, "admin");
        Enrolment.Enrolled e = core.enrolment.enroll(request(t.token(), "single-use"));
        assertTrue(e.apiKey().startsWith("fga_"));
        assertEquals(AgentRegistry.Check.OK, core.registry.verify(e.agentId(), e.apiKey()));
        assertEquals(AgentRegistry.Check.BAD_KEY, core.registry.verify(e.agentId(), "fga_wrong"));
        assertEquals(
                AgentInfo.Role.EDGE,
                core.registry.get(e.agentId()).orElseThrow().role());

        ApiException again =
                assertThrows(ApiException.class, () -> core.enrolment.enroll(request(t.token(), "single-use-2")));
        assertEquals(401, again.status());
    }

    @Test
    void expiredTokenIsRefused() {
        Enrolment.Token t = core.enrolment.createToken(null, 1, "admin");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(
                401,
                assertThrows(ApiException.class, () -> core.enrolment.enroll(request(t.token(), "late")))
                        .status());
    }

    @Test
    void takenNameIsAConflictAndLeavesTheTokenUsable() {
        core.enroll("taken");
        Enrolment.Token t = core.enrolment.createToken(null, null, "admin");
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> core.enrolment.enroll(request(t.token(), "taken")))
                        .status());
        // the failed attempt rolled back: the token still works once
        core.enrolment.enroll(request(t.token(), "not-taken"));
    }

    @Test
    void invalidFieldsAndTtlAreRejected() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> core.enrolment.enroll(new Enrolment.Request("", "bad name", "", "router", null)));
        assertEquals(400, e.status());
        assertEquals(4, e.errors().size());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> core.enrolment.createToken(null, 7 * 24 * 60 + 1, "admin"))
                        .status());
    }

    @Test
    void nameDefaultsToTheTokenNameThenTheHostname() {
        Enrolment.Token named = core.enrolment.createToken("from-token", null, "admin");
        Enrolment.Enrolled a = core.enrolment.enroll(new Enrolment.Request(named.token(), null, "h1.lan", null, null));
        assertEquals("from-token", core.registry.get(a.agentId()).orElseThrow().name());
        Enrolment.Token plain = core.enrolment.createToken(null, null, "admin");
        Enrolment.Enrolled b = core.enrolment.enroll(new Enrolment.Request(plain.token(), null, "h2.lan", null, null));
        assertEquals("h2.lan", core.registry.get(b.agentId()).orElseThrow().name());
    }

    @Test
    void openTokensAreListedWithoutTheTokenAndCanBeRevoked() {
        Enrolment.Token used = core.enrolment.createToken("used-one", 60, "admin");
        core.enrolment.enroll(request(used.token(), "used-one"));
        Enrolment.Token expired = core.enrolment.createToken("expired-one", 1, "admin");
        clock.advance(Duration.ofMinutes(2));
        Enrolment.Token open = core.enrolment.createToken("web-9", 60, "alice");

        java.util.List<Enrolment.OpenToken> list = core.enrolment.openTokens().stream()
                .filter(t ->
                        java.util.Set.of("used-one", "expired-one", "web-9").contains(t.name()))
                .toList();
        assertEquals(1, list.size(), "only the open token: " + list);
        Enrolment.OpenToken t = list.get(0);
        assertEquals("alice", t.createdBy());
        assertEquals(open.expiresAt(), t.expiresAt());
        assertTrue(Enrolment.TOKEN_ID.matcher(t.id()).matches(), t.id());
        assertTrue(!open.token().contains(t.id()), "the id is not part of the token");

        core.enrolment.revoke(t.id());
        assertTrue(core.enrolment.openTokens().stream().noneMatch(x -> x.id().equals(t.id())));
        assertEquals(
                401,
                assertThrows(ApiException.class, () -> core.enrolment.enroll(request(open.token(), "web-9")))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> core.enrolment.revoke(t.id()))
                        .status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> core.enrolment.revoke("NOT-AN-ID"))
                        .status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> core.enrolment.revoke(null))
                        .status());
        // a used token is not revoked (its row records which agent it enrolled)
        String usedId = Secrets.sha256Hex(used.token()).substring(0, 16);
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> core.enrolment.revoke(usedId))
                        .status());
        assertTrue(expired.token().length() > 0);
    }

    @Test
    void shellCommandsListAndRevoke() throws Exception {
        Enrolment.Token t = core.enrolment.createToken("shell-host", 60, "admin");
        String id = core.enrolment.openTokens().stream()
                .filter(x -> "shell-host".equals(x.name()))
                .findFirst()
                .orElseThrow()
                .id();
        String listed = shell(new dev.fleetgate.agents.command.EnrollTokensCommand(), null);
        assertTrue(listed.contains(id) && listed.contains("shell-host"), listed);
        assertTrue(!listed.contains(t.token()), "the token itself is never printed");
        assertEquals(
                "Revoked " + id,
                shell(new dev.fleetgate.agents.command.EnrollTokenRevokeCommand(), id)
                        .trim());
        assertTrue(!shell(new dev.fleetgate.agents.command.EnrollTokensCommand(), null)
                .contains(id));
        assertEquals(
                404,
                assertThrows(
                                ApiException.class,
                                () -> shell(new dev.fleetgate.agents.command.EnrollTokenRevokeCommand(), id))
                        .status());
    }

    /** Runs a shell command against this core's enrolment (the fields Karaf injects), returning what it printed. */
    private String shell(org.apache.karaf.shell.api.action.Action command, String id) throws Exception {
        java.lang.reflect.Field enrolment = command.getClass().getDeclaredField("enrolment");
        enrolment.setAccessible(true);
        enrolment.set(command, core.enrolment);
        if (id != null) {
            java.lang.reflect.Field arg = command.getClass().getDeclaredField("id");
            arg.setAccessible(true);
            arg.set(command, id);
        }
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(out);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}

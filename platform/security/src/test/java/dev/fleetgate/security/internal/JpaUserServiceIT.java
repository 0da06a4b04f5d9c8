package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.security.User;

/** The JPA user store against a real PostgreSQL, with the bundle's own persistence unit and migration. */
class JpaUserServiceIT {
    private static TestDatabase db;
    private static EntityManagerFactory emf;
    private final JpaUserService users = new JpaUserService(emf, new PasswordHasher(1_000), Clock.systemUTC());

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabase.create();
        for (String migration : new String[] {"V1__users.sql", "V2__token_version.sql"}) {
            try (InputStream in = JpaUserServiceIT.class.getResourceAsStream("/db/security/" + migration);
                    Connection c = db.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        emf = Persistence.createEntityManagerFactory(
                JpaUserService.UNIT, Map.of("javax.persistence.nonJtaDataSource", db.dataSource()));
    }

    @AfterAll
    static void tearDown() {
        if (emf != null) {
            emf.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        sql("DELETE FROM security_users");
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String storedHash(String username) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT password_hash FROM security_users WHERE username = '" + username + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void initialAdminIsCreatedOnlyWhenThereAreNoUsers() {
        JpaUserService.InitialAdmin first = users.ensureInitialAdmin("");
        assertTrue(first.created());
        assertNotNull(first.generatedPassword());
        assertTrue(first.generatedPassword().length() >= 20);
        User admin = users.verify("admin", first.generatedPassword()).orElseThrow();
        assertEquals(Set.of("admin"), admin.roles());

        JpaUserService.InitialAdmin second = users.ensureInitialAdmin("another-password");
        assertFalse(second.created());
        assertNull(second.generatedPassword());
        assertTrue(users.verify("admin", "another-password").isEmpty());
    }

    @Test
    void initialAdminTakesTheConfiguredPassword() {
        JpaUserService.InitialAdmin outcome = users.ensureInitialAdmin("configured-secret");
        assertTrue(outcome.created());
        assertNull(outcome.generatedPassword());
        assertTrue(users.verify("admin", "configured-secret").isPresent());
    }

    @Test
    void createFindListVerify() throws Exception {
        User bob = users.create("bob", "bob-password-1", Set.of("operator", "viewer"));
        users.create("alice", "alice-password", Set.of("admin"));
        assertEquals(Set.of("operator", "viewer"), bob.roles());
        assertEquals(bob, users.find("bob").orElseThrow());
        assertEquals(
                List.of("alice", "bob"),
                users.list().stream().map(User::username).toList());
        assertEquals(bob, users.verify("bob", "bob-password-1").orElseThrow());
        assertTrue(users.verify("bob", "bob-password-2").isEmpty());
        assertTrue(users.verify("nobody", "bob-password-1").isEmpty());
        assertTrue(users.verify("BOB", "bob-password-1").isEmpty(), "names are exact at login");
        assertTrue(storedHash("bob").startsWith("pbkdf2-sha512$1000$"));
    }

    @Test
    void namesAreUniqueIgnoringCaseAndInputIsValidated() {
        users.create("bob", "bob-password-1", Set.of("viewer"));
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> users.create("bob", "bob-password-1", Set.of("viewer")))
                        .status());
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> users.create("Bob", "bob-password-1", Set.of("viewer")))
                        .status());
        ApiException invalid =
                assertThrows(ApiException.class, () -> users.create("bad name", "short", Set.of("root")));
        assertEquals(400, invalid.status());
        assertEquals(
                List.of("username", "password", "roles"),
                invalid.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void theLastAdminCannotBeDeleted() {
        users.create("root1", "root1-password", Set.of("admin"));
        users.create("viewer1", "viewer-password", Set.of("viewer"));
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> users.delete("root1")).status());
        users.create("root2", "root2-password", Set.of("admin", "operator"));
        users.delete("root1");
        assertTrue(users.find("root1").isEmpty());
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> users.delete("root2")).status());
        users.delete("viewer1");
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> users.delete("viewer1")).status());
        assertEquals(List.of("root2"), users.list().stream().map(User::username).toList());
    }

    @Test
    void concurrentDeletesOfTwoAdminsLeaveOne() throws Exception {
        for (int round = 0; round < 5; round++) {
            empty();
            users.create("a1", "a1-password-x", Set.of("admin"));
            users.create("a2", "a2-password-x", Set.of("admin"));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> results =
                        pool.invokeAll(List.<Callable<Boolean>>of(() -> tryDelete("a1"), () -> tryDelete("a2")));
                int deleted = 0;
                for (Future<Boolean> f : results) {
                    deleted += f.get() ? 1 : 0;
                }
                assertEquals(1, deleted);
                assertEquals(1, users.list().size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private boolean tryDelete(String name) {
        try {
            users.delete(name);
            return true;
        } catch (ApiException e) {
            assertEquals(409, e.status());
            return false;
        }
    }

    @Test
    void changePasswordAndUpgradeOfOldHashes() throws Exception {
        users.create("carol", "carol-password", Set.of("viewer"));
        users.changePassword("carol", "carol-new-password");
        assertTrue(users.verify("carol", "carol-password").isEmpty());
        assertTrue(users.verify("carol", "carol-new-password").isPresent());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> users.changePassword("carol", "short"))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> users.changePassword("nobody", "long-enough-pw"))
                        .status());

        JpaUserService stronger = new JpaUserService(emf, new PasswordHasher(2_000), Clock.systemUTC());
        assertTrue(stronger.verify("carol", "carol-new-password").isPresent());
        assertTrue(storedHash("carol").startsWith("pbkdf2-sha512$2000$"), "re-hashed on login");
        assertTrue(users.verify("carol", "carol-new-password").isPresent());
    }

    @Test
    void passwordChangeAndRevocationRaiseTheStoredTokenVersion() {
        users.create("tess", "tess-password", Set.of("viewer"));
        assertEquals(0, users.find("tess").orElseThrow().tokenVersion());
        users.changePassword("tess", "tess-new-password");
        assertEquals(1, users.find("tess").orElseThrow().tokenVersion());
        users.revokeTokens("tess");
        assertEquals(2, users.find("tess").orElseThrow().tokenVersion());
        assertEquals(2, users.verify("tess", "tess-new-password").orElseThrow().tokenVersion());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> users.revokeTokens("nobody"))
                        .status());
    }

    @Test
    void roleChangesRaiseTheTokenVersionAndKeepAnAdmin() {
        users.create("solo", "solo-password", Set.of("admin"));
        users.create("ops", "ops-password", Set.of("viewer"));
        User ops = users.changeRoles("ops", Set.of("operator", "viewer"));
        assertEquals(Set.of("operator", "viewer"), ops.roles());
        assertEquals(1, users.find("ops").orElseThrow().tokenVersion());
        assertEquals(
                Set.of("operator", "viewer"), users.find("ops").orElseThrow().roles());
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> users.changeRoles("solo", Set.of("operator")))
                        .status());
        assertEquals(Set.of("admin"), users.find("solo").orElseThrow().roles());
        users.changeRoles("ops", Set.of("admin"));
        users.changeRoles("solo", Set.of("viewer"));
        assertEquals(Set.of("viewer"), users.find("solo").orElseThrow().roles());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> users.changeRoles("ops", Set.of()))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> users.changeRoles("nobody", Set.of("viewer")))
                        .status());
    }
}

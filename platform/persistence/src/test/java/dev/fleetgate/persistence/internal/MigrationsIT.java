package dev.fleetgate.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.testing.TestDatabase;

class MigrationsIT {
    private static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void appliesInOrderOnceAndPerModule() throws Exception {
        List<Migration> v1 = List.of(new Migration(1, "create", "CREATE TABLE a_t (id int)"));
        assertEquals(1, Migrations.apply(db.dataSource(), "a", v1));
        List<Migration> v2 = List.of(new Migration(2, "col", "ALTER TABLE a_t ADD COLUMN n text"), v1.get(0));
        assertEquals(2, Migrations.apply(db.dataSource(), "a", v2));
        assertEquals(2, Migrations.apply(db.dataSource(), "a", v2), "re-running applies nothing");
        assertEquals(
                1,
                Migrations.apply(
                        db.dataSource(), "b", List.of(new Migration(1, "create", "CREATE TABLE b_t (id int)"))));
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM fleetgate_schema_history WHERE module IN ('a','b')")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }

    @Test
    void failedMigrationRollsBackEverythingOfThatRun() throws Exception {
        List<Migration> bad = List.of(
                new Migration(1, "ok", "CREATE TABLE c_t (id int)"), new Migration(2, "bad", "CREATE TABLE broken ("));
        Exception e = assertThrows(Exception.class, () -> Migrations.apply(db.dataSource(), "c", bad));
        assertTrue(e.getMessage().contains("V2"), e.getMessage());
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('c_t') IS NULL")) {
            rs.next();
            assertTrue(rs.getBoolean(1), "V1 of the failed run was rolled back");
        }
    }

    @Test
    void changedAppliedMigrationIsAnError() throws Exception {
        Migrations.apply(db.dataSource(), "d", List.of(new Migration(1, "x", "CREATE TABLE d_t (id int)")));
        assertThrows(
                IllegalStateException.class,
                () -> Migrations.apply(
                        db.dataSource(), "d", List.of(new Migration(1, "x", "CREATE TABLE d_t (id bigint)"))));
    }

    @Test
    void parsesFileNames() {
        assertEquals(new Migration(12, "add users", "s"), Migrations.parse("V12__add_users.sql", "s"));
        assertEquals(null, Migrations.parse("notes.sql", "s"));
    }
}

package dev.fleetgate.itests;

import dev.fleetgate.persistence.testing.TestDatabase;

/** The database of the Pax Exam run: created in the driver JVM, dropped when it exits. */
final class ExamDatabase {
    private static TestDatabase db;

    private ExamDatabase() {
    }

    static synchronized String createOnce() {
        if (db == null) {
            db = TestDatabase.create();
            Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        }
        return db.jdbcUrl();
    }

    static String user() {
        return TestDatabase.user();
    }

    static String password() {
        return TestDatabase.password();
    }
}

package dev.fleetgate.rest.internal;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Classifies failures that come from the database, wherever they are wrapped. */
public final class DatabaseErrors {
    /** Seconds a client should wait before trying again while the database is unreachable. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final int MAX_DEPTH = 20;

    private DatabaseErrors() {}

    /**
     * @return whether {@code e} (or a cause) says the database cannot be reached: no
     *         connection from the pool in time, connection refused or lost, server shutting down
     */
    public static boolean unavailable(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < MAX_DEPTH; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @return whether PostgreSQL refused text it cannot store (U+0000 in text or jsonb,
     *         invalid encoding): the client's input, so a 400
     */
    public static boolean invalidText(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < MAX_DEPTH; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}

package dev.fleetgate.persistence;

/** Names of the shared PostgreSQL data source. */
public final class Database {
    /** JNDI-style name pax-jdbc-config gives the data source. */
    public static final String NAME = "jdbc/fleetgate";
    /** Target filter for {@code @Reference DataSource}. */
    public static final String TARGET = "(osgi.jndi.service.name=" + NAME + ")";

    private Database() {}
}

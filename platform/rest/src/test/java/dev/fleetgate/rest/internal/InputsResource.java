package dev.fleetgate.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.fleetgate.api.BodyLimit;
import dev.fleetgate.api.RawText;
import dev.fleetgate.api.RestResource;

/** Endpoints that take odd input or meet an unreachable database. */
@Path("inputs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InputsResource implements RestResource {
    public record Login(String username, String password) {}

    @POST
    @Path("login")
    public Login login(Login body) {
        return body;
    }

    @POST
    @Path("node")
    public JsonNode node(JsonNode body) {
        return body;
    }

    @POST
    @Path("raw")
    public String raw(@RawText JsonNode body) {
        return "{\"nul\":" + body.toString().contains("\\u0000") + "}";
    }

    @POST
    @Path("small")
    @BodyLimit(64)
    public JsonNode small(JsonNode body) {
        return body;
    }

    @POST
    @Path("stream")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public String stream(InputStream body) throws IOException {
        return "{\"bytes\":" + body.readAllBytes().length + "}";
    }

    /** A query through a real PostgreSQL driver against a port nobody listens on, wrapped as Jdbc does. */
    @GET
    @Path("db")
    public String db() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {closedPort()});
        ds.setDatabaseName("none");
        ds.setUser("none");
        ds.setConnectTimeout(2);
        try (Connection c = ds.getConnection()) {
            return "{}";
        } catch (SQLException e) {
            throw new IllegalStateException("Database error: " + e.getMessage(), e);
        }
    }

    /** Through the pool the core uses, configured as etc/org.ops4j.datasource-fleetgate.cfg does. */
    @GET
    @Path("pool")
    public String pool() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[] {"127.0.0.1"});
        pg.setPortNumbers(new int[] {closedPort()});
        pg.setDatabaseName("none");
        pg.setUser("none");
        HikariConfig config = new HikariConfig();
        config.setDataSource(pg);
        config.setConnectionTimeout(1500);
        config.setValidationTimeout(1000);
        config.setInitializationFailTimeout(-1); // the core starts while the database is down too
        try (HikariDataSource ds = new HikariDataSource(config);
                Connection c = ds.getConnection()) {
            return "{}";
        } catch (SQLException e) {
            throw new IllegalStateException("Database error: " + e.getMessage(), e);
        }
    }

    @GET
    @Path("nul-in-db")
    public String nulInDb() throws SQLException {
        throw new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.fleetgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The ingestion ceiling: rows {@code (ts, series_id, value)} written into the core database's {@code metric_sample}
 * with PostgreSQL's binary COPY over plain JDBC — what any writer of the same rows into the same table pays, with
 * nothing of the core in between (PostgreSQL's documented binary format: signature, flags, extension length, per
 * row a field count and length-prefixed fields, a -1 trailer).
 */
final class SampleCopy {
    static final String SQL = "COPY metric_sample (ts, series_id, value) FROM STDIN (FORMAT binary)";
    /** Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01 (UTC). */
    private static final long POSTGRES_EPOCH_US = 946_684_800L * 1_000_000L;

    private SampleCopy() {}

    /** The bench's batch shape as binary COPY input: {@code series} series (ids 1..) × {@code points} points. */
    static byte[] rows(int series, int points, long start) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(19 + series * points * 38 + 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            out.writeInt(0); // flags
            out.writeInt(0); // header extension
            for (int s = 0; s < series; s++) {
                for (int p = 0; p < points; p++) {
                    out.writeShort(3);
                    out.writeInt(8);
                    out.writeLong((start + p * MetricsBench.INTERVAL) * 1000 - POSTGRES_EPOCH_US);
                    out.writeInt(8);
                    out.writeLong(s + 1);
                    out.writeInt(8);
                    out.writeDouble(MetricsBench.value(s, p));
                }
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @return the rows COPY stored */
    static long copy(Connection c, byte[] rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(SQL);
        in.writeToCopy(rows, 0, rows.length);
        return in.endCopy();
    }
}

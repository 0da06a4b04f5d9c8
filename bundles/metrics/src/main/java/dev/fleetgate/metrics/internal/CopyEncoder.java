package dev.fleetgate.metrics.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's binary COPY format for rows {@code (ts timestamptz, series_id bigint, value
 * float8)}: a header, per row a field count and three length-prefixed 8-byte fields, a
 * trailer. 38 bytes a row, no text formatting or parsing on either side.
 */
public final class CopyEncoder {
    public static final String COPY_SAMPLES = "COPY metric_sample (ts, series_id, value) FROM STDIN (FORMAT binary)";
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    static final int ROW_BYTES = 2 + 3 * (4 + 8);
    /** The signature, flags and header extension length before the first row. */
    static final int HEADER_BYTES = 19;

    private final ByteBuffer buf;

    public CopyEncoder(int rows) {
        buf = ByteBuffer.allocate(SIGNATURE.length + 8 + rows * ROW_BYTES + 2);
        buf.put(SIGNATURE).putInt(0).putInt(0);
    }

    public void row(long epochMillis, long seriesId, double value) {
        buf.putShort((short) 3);
        buf.putInt(8).putLong(epochMillis * 1000 - PG_EPOCH_MICROS);
        buf.putInt(8).putLong(seriesId);
        buf.putInt(8).putLong(Double.doubleToRawLongBits(value));
    }

    /** Adds the trailer; call once, after the last row. */
    public byte[] finish() {
        buf.putShort((short) -1);
        return buf.array();
    }

    public int length() {
        return buf.position();
    }
}

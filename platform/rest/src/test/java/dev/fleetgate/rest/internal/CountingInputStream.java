package dev.fleetgate.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes a test's request body gave out. */
final class CountingInputStream extends FilterInputStream {
    private long read;

    CountingInputStream(InputStream in) {
        super(in);
    }

    long bytesRead() {
        return read;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            read++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            read += n;
        }
        return n;
    }
}

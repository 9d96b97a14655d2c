package dev.orchat.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Fails as soon as more than {@code limit} bytes have been read, so an oversized body is never read whole. */
public final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final Supplier<? extends RuntimeException> error;
    private long count;

    public LimitedInputStream(InputStream in, long limit, Supplier<? extends RuntimeException> error) {
        super(in);
        this.limit = limit;
        this.error = error;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw error.get();
        }
    }
}

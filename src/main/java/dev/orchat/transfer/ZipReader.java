package dev.orchat.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a ZIP as it arrives, entry by entry, refusing what would exhaust the service: too many entries, more
 * inflated bytes than allowed, an inflation ratio typical of a zip bomb (counted on the bytes actually inflated,
 * never on the sizes the archive claims), and entry names that try to leave a folder.
 */
final class ZipReader {
    private static final long RATIO_CHECK_AFTER = 16L * 1024 * 1024;
    private static final Pattern UNSAFE = Pattern.compile("(^|/)\\.\\.(/|$)|^/|\\\\|:|\\x00");

    /** Thrown from inside a read when a bound is crossed; stops the whole archive. */
    static final class LimitExceeded extends RuntimeException {
        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    private final ImportFactory limits;
    private final CountingStream raw;
    private final ZipInputStream zip;
    private long inflated;
    private int entries;

    ZipReader(InputStream in, ImportFactory limits) {
        this.limits = limits;
        this.raw = new CountingStream(in);
        this.zip = new ZipInputStream(raw);
    }

    /** The next entry, or null at the end. */
    ZipEntry next() throws IOException, ImportException {
        ZipEntry entry = zip.getNextEntry();
        if (entry != null && ++entries > limits.maxZipEntries()) {
            throw new ImportException("The ZIP has more than " + limits.maxZipEntries() + " entries");
        }
        return entry;
    }

    static boolean isUnsafe(String name) {
        return name.isEmpty() || UNSAFE.matcher(name).find();
    }

    /** The current entry's bytes, counted against the limits as they are inflated. */
    InputStream body() {
        return new FilterInputStream(zip) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = zip.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public void close() {
                // The archive owns the stream; closing one entry must not end the archive.
            }
        };
    }

    /** Reads the rest of an entry that is not used, so its inflation is counted too. */
    void skip(InputStream body) throws IOException {
        body.transferTo(java.io.OutputStream.nullOutputStream());
    }

    private void count(int n) {
        inflated += n;
        if (inflated > limits.maxUnzippedBytes()) {
            throw new LimitExceeded("The ZIP inflates to more than " + limits.maxUnzippedBytes() + " bytes");
        }
        if (inflated > RATIO_CHECK_AFTER && inflated > (long) limits.maxCompressionRatio() * Math.max(1, raw.count)) {
            throw new LimitExceeded("The ZIP inflates more than " + limits.maxCompressionRatio()
                    + " times its size (a zip bomb?)");
        }
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}

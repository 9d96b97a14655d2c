package dev.orchat.bench;

import java.util.Arrays;

/** A growable list of nanosecond samples with the percentiles the report quotes. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** Appends every sample of {@code other}. */
    void addAll(Samples other) {
        long[] copy;
        int n;
        synchronized (other) {
            copy = Arrays.copyOf(other.values, other.size);
            n = other.size;
        }
        for (int i = 0; i < n; i++) {
            add(copy[i]);
        }
    }

    synchronized int size() {
        return size;
    }

    /** Nearest-rank percentile in milliseconds; NaN when empty. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double p50() {
        return percentileMillis(50);
    }

    double p99() {
        return percentileMillis(99);
    }

    double max() {
        return percentileMillis(100);
    }
}

package dev.qflux.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram with logarithmic buckets (about 9% wide, eight per power of
 * two) from 1 microsecond to about 1 hour: cheap enough to record on every message.
 */
public final class LatencyHistogram {
    private static final int PER_OCTAVE = 8;
    private static final int BUCKETS = 32 * PER_OCTAVE;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void recordNanos(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        double log2 = Math.log(micros) / Math.log(2);
        int bucket = (int) Math.min(BUCKETS - 1, Math.floor(log2 * PER_OCTAVE));
        counts.incrementAndGet(bucket);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The upper bound, in milliseconds, of the bucket holding quantile {@code q} (0..1). */
    public double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return Math.pow(2, (i + 1) / (double) PER_OCTAVE) / 1000.0;
            }
        }
        return Double.NaN;
    }
}

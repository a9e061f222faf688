package dev.qflux.spool;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The free-space floor (invariant 6: refuse with 452 rather than fill the disk). statvfs is cheap
 * but not free, so one answer is reused for a short while, minus what was written since.
 * Writer thread only.
 */
final class DiskSpace {
    /** How long one statvfs answer is trusted while mail flows. */
    static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SpoolSeams.UsableSpace probe;
    private final long minFreeBytes;
    private final Consumer<String> log;
    private final LongSupplier nanoClock;
    private boolean probed;
    private long probedAt;
    private long usable;
    private long writtenSinceProbe;

    DiskSpace(SpoolSeams.UsableSpace probe, long minFreeBytes, Consumer<String> log) {
        this(probe, minFreeBytes, log, System::nanoTime);
    }

    DiskSpace(SpoolSeams.UsableSpace probe, long minFreeBytes, Consumer<String> log, LongSupplier nanoClock) {
        this.probe = probe;
        this.minFreeBytes = minFreeBytes;
        this.log = log;
        this.nanoClock = nanoClock;
    }

    /** True when {@code bytes} more would still leave the floor free. */
    boolean hasRoomFor(long bytes) {
        long now = nanoClock.getAsLong();
        if (!probed || now - probedAt >= PROBE_INTERVAL_NANOS) {
            probe(now);
        }
        return usable - writtenSinceProbe - bytes >= minFreeBytes;
    }

    void wrote(long bytes) {
        writtenSinceProbe += bytes;
    }

    long usableBytes() {
        return usable - writtenSinceProbe;
    }

    private void probe(long now) {
        try {
            usable = probe.bytes();
        } catch (IOException e) {
            // Unknown is not full: a real shortage shows up as a write error and a 451.
            log.accept("warning: cannot read free space of the queue: " + e);
            usable = Long.MAX_VALUE;
        }
        probed = true;
        probedAt = now;
        writtenSinceProbe = 0;
    }
}

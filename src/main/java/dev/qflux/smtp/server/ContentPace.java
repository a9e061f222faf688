package dev.qflux.smtp.server;

import dev.qflux.config.SmtpLimits;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Watches a client while it sends message content (DATA, or a BDAT transaction from its first
 * chunk to its last): silence longer than control/timeoutdata, or less than control/mindatarate
 * bytes per second over a whole window once the first window (the grace period) is over, ends
 * the session. Stops slow senders from holding a session and its buffers open for ever at a few
 * bytes a minute. A one-second tick runs only while content is expected. Event-loop confined.
 */
final class ContentPace {
    /** How often the clock is read while content is expected. */
    static final long TICK_MILLIS = 1000;

    /** What happens when the client is too slow; called on the event loop. */
    interface Verdict {
        void dataTimeout();

        void tooSlow(long minRate);
    }

    private final EventExecutor loop;
    private final BooleanSupplier receiving;
    private final Verdict verdict;
    private SmtpLimits limits;
    private ScheduledFuture<?> tick;
    private long lastRead;
    private long windowStart;
    private long windowBytes;
    private boolean graceOver;

    ContentPace(EventExecutor loop, BooleanSupplier receiving, Verdict verdict) {
        this.loop = loop;
        this.receiving = receiving;
        this.verdict = verdict;
    }

    /** Content is expected from now on; a no-op while already watching. */
    void start(SmtpLimits limits) {
        if (tick != null) {
            return;
        }
        this.limits = limits;
        long now = System.nanoTime();
        lastRead = now;
        windowStart = now;
        windowBytes = 0;
        graceOver = false;
        tick = loop.scheduleAtFixedRate(this::check, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Bytes read from the client while watching. */
    void received(int bytes) {
        if (tick != null && bytes > 0) {
            lastRead = System.nanoTime();
            windowBytes += bytes;
        }
    }

    void stop() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    private void check() {
        if (tick == null) {
            return;
        }
        if (!receiving.getAsBoolean()) {
            stop();
            return;
        }
        long now = System.nanoTime();
        if (now - lastRead >= limits.timeoutData().toNanos()) {
            stop();
            verdict.dataTimeout();
            return;
        }
        long window = limits.dataRateWindow().toNanos();
        if (limits.minDataRate() <= 0 || now - windowStart < window) {
            return;
        }
        long seconds = limits.dataRateWindow().toSeconds();
        if (graceOver && windowBytes < limits.minDataRate() * seconds) {
            stop();
            verdict.tooSlow(limits.minDataRate());
            return;
        }
        graceOver = true;
        windowStart = now;
        windowBytes = 0;
    }
}

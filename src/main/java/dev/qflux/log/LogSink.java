package dev.qflux.log;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import dev.qflux.config.LogConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One line per event to stdout, written by its own thread: writing to a pipe can block, and event
 * loops must never block (design.md invariant 4). {@link #log} is lock-free and never waits; when
 * the writer falls {@link #MAX_PENDING} lines behind, lines are dropped and the drop is reported.
 * Callers log qmail-send's lines; the writer renders them as control/logformat and
 * control/logtimestamp say ({@link #use}), stamping each when it writes it, as multilog does
 * when it reads it.
 */
public final class LogSink implements AutoCloseable {
    /** Bound on lines waiting for the writer (design.md invariant 5). */
    public static final int MAX_PENDING = 100_000;

    private final Queue<String> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final PrintStream out;
    private final Clock clock;
    private final Thread writer;
    private volatile LineFormat format = LineFormat.PLAIN;
    private volatile boolean closed;

    public LogSink(OutputStream out) {
        this(out, Clock.systemUTC());
    }

    /** A sink whose timestamps come from {@code clock}. */
    public LogSink(OutputStream out, Clock clock) {
        this.clock = clock;
        // Buffered: the writer drains many lines per write(2), flushing when it runs dry.
        this.out = new PrintStream(new BufferedOutputStream(out, 64 * 1024), false,
                StandardCharsets.UTF_8);
        this.writer = new Thread(this::drain, "qflux-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues one line (no newline). Never blocks. */
    public void log(String line) {
        if (size.incrementAndGet() > MAX_PENDING) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        pending.add(line);
        LockSupport.unpark(writer);
    }

    /** Writes every line from now on in {@code config}'s format (qmail lines without timestamps until called). */
    public void use(LogConfig config) {
        format = new LineFormat(config);
    }

    private void drain() {
        while (true) {
            String line = pending.poll();
            if (line == null) {
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    write("warning: log writer fell behind; " + lost + " lines dropped");
                }
                out.flush();
                if (closed && pending.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            size.decrementAndGet();
            write(line);
        }
    }

    private void write(String line) {
        out.println(format.render(line, clock.instant()));
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }
}

package dev.qflux.pop3;

import dev.qflux.auth.Authenticator;
import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What every POP3 connection of this process shares: configuration, the password checker, the
 * log, the bounded scheduler all Maildir I/O runs on, and per-client failure counts. Thread-safe.
 * Owns the scheduler: {@link #close} it after the {@link Pop3Server}.
 */
public final class Pop3Context implements AutoCloseable {
    /** Wait before answering a failed login: slows password guessing to a crawl. */
    static final Duration FAILED_LOGIN_DELAY = Duration.ofSeconds(2);
    /** Threads for Maildir scans, message reads and deletions: disks gain little from more. */
    static final int IO_THREADS = 4;
    /** Maildir tasks waiting for a thread; past it a session is told to try later. */
    static final int IO_QUEUE = 10_000;

    private final AtomicReference<QfluxConfig> config;
    private final Authenticator authenticator;
    private final boolean apop;
    private final LogSink log;
    private final Clock clock;
    private final Scheduler io;
    private final FailedLogins failedLogins = new FailedLogins();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicLong lastTimestamp = new AtomicLong();
    private final long pid = ProcessHandle.current().pid();
    private volatile Duration failedLoginDelay = FAILED_LOGIN_DELAY;

    /**
     * @param apop true when {@code authenticator} can check an APOP digest (it is given the
     *             greeting's timestamp as {@code Credentials.challenge} and the client's digest as
     *             the secret); only then does the greeting carry a timestamp (RFC 1939 section 7)
     */
    public Pop3Context(QfluxConfig config, Authenticator authenticator, boolean apop, LogSink log,
                       Clock clock) {
        this.config = new AtomicReference<>(config);
        this.authenticator = authenticator;
        this.apop = apop;
        this.log = log;
        this.clock = clock;
        this.io = Schedulers.newBoundedElastic(IO_THREADS, IO_QUEUE, "qflux-pop3-io", 60, true);
    }

    /** The configuration new sessions start with; a reload swaps it whole. */
    public QfluxConfig config() {
        return config.get();
    }

    public void reconfigure(QfluxConfig next) {
        config.set(next);
    }

    Authenticator authenticator() {
        return authenticator;
    }

    boolean apop() {
        return apop;
    }

    LogSink log() {
        return log;
    }

    Clock clock() {
        return clock;
    }

    Scheduler io() {
        return io;
    }

    FailedLogins failedLogins() {
        return failedLogins;
    }

    Duration failedLoginDelay() {
        return failedLoginDelay;
    }

    /** Tests shorten the delay so a flood of failures runs quickly. */
    void failedLoginDelay(Duration delay) {
        failedLoginDelay = delay;
    }

    /** Counts a session in; false (and nothing counted) when control/concurrencypop3 is reached. */
    boolean tryOpenSession() {
        if (sessions.incrementAndGet() > config().pop3().concurrency()) {
            sessions.decrementAndGet();
            return false;
        }
        return true;
    }

    void sessionClosed() {
        sessions.decrementAndGet();
    }

    /**
     * An APOP timestamp {@code <pid.time@host>} as qmail-popup makes it, with the time in
     * milliseconds and never repeated, since RFC 1939 section 7 wants every one to differ.
     */
    String nextTimestamp() {
        long now = clock.millis();
        long t = lastTimestamp.updateAndGet(last -> Math.max(last + 1, now));
        return "<" + pid + "." + t + "@" + config().me() + ">";
    }

    @Override
    public void close() {
        io.dispose();
    }
}

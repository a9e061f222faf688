package dev.qflux.smtp.server;

import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import dev.qflux.metrics.LatencyHistogram;
import dev.qflux.spool.SpoolWriter;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** What every SMTP connection of this process shares. Thread-safe. */
public final class ServerContext {
    private final AtomicReference<QfluxConfig> config;
    private final SpoolWriter spool;
    private final LogSink log;
    private final Clock clock;
    private final long uid;
    private final SessionLimiter limiter = new SessionLimiter();
    private final ConnectRateLimiter connectRate = new ConnectRateLimiter();
    private final LimitCounters limits = new LimitCounters();
    private final ReceiveBudget budget;
    private final AtomicLong sessions = new AtomicLong();
    private final LatencyHistogram acceptLatency = new LatencyHistogram();

    /** Whether a recipient exists; delivery sets it once it runs (unknown local users: 550 at RCPT). */
    private volatile Predicate<String> recipientExists = recipient -> true;
    private final ServerSecurity security;

    public ServerContext(QfluxConfig config, SpoolWriter spool, LogSink log, Clock clock, long uid) {
        this(config, spool, log, clock, uid, ServerSecurity.NONE);
    }

    /** With a certificate for STARTTLS and smtps, and a login checker for AUTH. */
    public ServerContext(QfluxConfig config, SpoolWriter spool, LogSink log, Clock clock, long uid,
                         ServerSecurity security) {
        this.security = security;
        this.config = new AtomicReference<>(config);
        this.spool = spool;
        this.log = log;
        this.clock = clock;
        this.uid = uid;
        this.budget = new ReceiveBudget(config.receiveBytes());
    }

    /** The configuration new sessions start with; a reload swaps it whole. */
    public QfluxConfig config() {
        return config.get();
    }

    public void reconfigure(QfluxConfig next) {
        config.set(next);
    }

    /** End-of-data to 250 latency of accepted messages. */
    public LatencyHistogram acceptLatency() {
        return acceptLatency;
    }

    /**
     * Lets RCPT refuse recipients delivery would only bounce (an unknown local user), so no
     * bounce goes to a forged sender. Must not block: it runs on an event loop.
     */
    public void recipientCheck(Predicate<String> exists) {
        this.recipientExists = exists;
    }

    boolean recipientExists(String recipient) {
        return recipientExists.test(recipient);
    }

    ServerSecurity security() {
        return security;
    }

    /** How often each SMTP abuse limit was hit. */
    public LimitCounters limits() {
        return limits;
    }

    SpoolWriter spool() {
        return spool;
    }

    LogSink log() {
        return log;
    }

    Clock clock() {
        return clock;
    }

    long uid() {
        return uid;
    }

    SessionLimiter limiter() {
        return limiter;
    }

    ConnectRateLimiter connectRate() {
        return connectRate;
    }

    ReceiveBudget budget() {
        return budget;
    }

    long nextSessionNumber() {
        return sessions.incrementAndGet();
    }
}

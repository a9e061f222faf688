package dev.qflux.smtp.server;

import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import dev.qflux.metrics.LatencyHistogram;
import dev.qflux.smtp.protocol.Reply;
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
    private final MailGate gate = new MailGate();
    private volatile CommandCounter commands = CommandCounter.NONE;

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

    /** {@code qflux pause --smtp}: MAIL gets 451 4.3.2 until {@code on} is false again. */
    public void pauseMail(boolean on) {
        gate.pause(on);
    }

    public boolean mailPaused() {
        return gate.paused();
    }

    /** The start of a stop: every later MAIL gets 421 4.3.2 and its connection is closed. */
    public void refuseMailForShutdown() {
        gate.shutDown(shuttingDown());
    }

    /** The 421 a session gets when qflux stops under it (RFC 5321 3.8). */
    Reply shuttingDown() {
        return Reply.of(421, "4.3.2", config().me() + " shutting down, try again later");
    }

    /** SMTP sessions open now (counted against concurrencyincoming). */
    public int openSessions() {
        return limiter.open();
    }

    /** SMTP sessions begun since start. */
    public long sessionsStarted() {
        return sessions.get();
    }

    /** Where sessions that start from now on count their commands (metrics). */
    public void countCommands(CommandCounter counter) {
        this.commands = counter;
    }

    CommandCounter commands() {
        return commands;
    }

    MailGate gate() {
        return gate;
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

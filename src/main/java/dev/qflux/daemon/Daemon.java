package dev.qflux.daemon;

import dev.qflux.auth.Authenticators;
import dev.qflux.auth.CloseableAuthenticator;
import dev.qflux.admin.AdminServer;
import dev.qflux.admin.AdminToken;
import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.deliver.DeliveryService;
import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.inject.MaildropPickup;
import dev.qflux.log.LogSink;
import dev.qflux.pop3.Pop3Context;
import dev.qflux.pop3.Pop3Server;
import dev.qflux.schedule.Scheduler.Finish;
import dev.qflux.metrics.QfluxMetrics;
import dev.qflux.smtp.server.ServerContext;
import dev.qflux.smtp.server.ServerSecurity;
import dev.qflux.smtp.server.SmtpServer;
import dev.qflux.spool.SpoolOptions;
import dev.qflux.spool.SpoolWriter;
import dev.qflux.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running qflux: configuration, spool, delivery, listeners and the admin endpoint wired
 * together, and stopped in the order that loses nothing: stop accepting, let open sessions and
 * running deliveries finish (up to control/draintimeout), then let the spool finish what it was
 * given.
 */
public final class Daemon implements AutoCloseable {
    private final QfluxConfig config;
    private final LogSink log;
    private final SpoolWriter spool;
    private final ServerContext server;
    private final SmtpServer smtp;
    private final DeliveryService delivery;
    private final MaildropPickup pickup;
    private final QfluxMetrics metrics;
    private final long startedMillis = System.currentTimeMillis();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Drain drain;
    private AdminServer admin;
    /** POP3 (null when no checker is configured: there is nobody to log in). */
    private Pop3Context pop3Context;
    private Pop3Server pop3;
    /** The server certificate (null without control/servercert.pem) and the login checker. */
    private ServerTls tls;
    private CloseableAuthenticator auth;

    private Daemon(QfluxConfig config, LogSink log, SpoolWriter spool, ServerContext server,
                   SmtpServer smtp, DeliveryService delivery, MaildropPickup pickup, QfluxMetrics metrics) {
        this.delivery = delivery;
        this.pickup = pickup;
        this.config = config;
        this.log = log;
        this.spool = spool;
        this.server = server;
        this.smtp = smtp;
        this.metrics = metrics;
        this.drain = new Drain(smtp, delivery, log);
    }

    /** Reads conf, opens (and recovers) the spool, binds the listeners and the admin endpoint. */
    public static Daemon start(Path confDir, LogSink log) throws ConfigException, IOException {
        QfluxConfig config = ConfigLoader.load(confDir);
        log.use(config.log());
        SpoolOptions defaults = SpoolOptions.defaults();
        SpoolWriter spool = SpoolWriter.open(config.queueDir(), new SpoolOptions(
                config.queueFreeBytes(), defaults.segmentBytes(), defaults.maxPendingMessages(),
                defaults.maxBatchBytes()));
        log.log("status: spool " + config.queueDir() + " holds " + spool.queuedMessages()
                + " messages");
        // Delivery subscribes to the spool before any listener can accept a message.
        DeliveryService delivery;
        try {
            delivery = DeliveryService.start(config, spool, log);
        } catch (ConfigException | RuntimeException e) {
            spool.close();
            throw e;
        }
        // Messages dropped by `qflux inject` (also while qflux was down) join the queue.
        MaildropPickup pickup;
        try {
            pickup = MaildropPickup.start(config.queueDir(), spool, log);
        } catch (IOException | RuntimeException e) {
            delivery.close();
            spool.close();
            throw e;
        }
        ServerTls tls;
        try {
            tls = config.security().serverCert() == null ? null : ServerTls.load(config.security().serverCert());
        } catch (IOException e) {
            pickup.close();
            delivery.close();
            spool.close();
            throw new ConfigException(e.getMessage());
        }
        if (tls == null && config.listeners().stream().anyMatch(l -> l.protocol().equals("smtps"))) {
            pickup.close();
            delivery.close();
            spool.close();
            throw new ConfigException(config.confDir().resolve("control/listen")
                    + ": an smtps listener needs control/servercert.pem");
        }
        CloseableAuthenticator auth = Authenticators.fromConfig(config.security(), log).orElse(null);
        if (auth == null && config.listeners().stream().anyMatch(l -> l.protocol().startsWith("pop3"))) {
            pickup.close();
            delivery.close();
            spool.close();
            throw new ConfigException(config.confDir().resolve("control/listen")
                    + ": a pop3 listener needs control/passwords or control/checkpassword");
        }
        ServerContext server = new ServerContext(config, spool, log, Clock.systemUTC(), uid(),
                new ServerSecurity(tls, auth));
        server.recipientCheck(delivery::acceptsRecipient);
        QfluxMetrics metrics = new QfluxMetrics();
        metrics.bindSpool(spool::stats, spool::queuedMessages);
        metrics.bindDelivery(delivery.events(), delivery::stats, delivery::dnsStats);
        metrics.bindSmtp(server::openSessions, server::sessionsStarted);
        server.countCommands(metrics::countCommand);
        SmtpServer smtp;
        try {
            smtp = SmtpServer.start(server, config.listeners());
        } catch (RuntimeException e) {
            pickup.close();
            if (auth != null) {
                auth.close();
            }
            delivery.close();
            spool.close();
            metrics.close();
            throw new IOException("cannot listen: " + rootMessage(e), e);
        }
        Daemon daemon = new Daemon(config, log, spool, server, smtp, delivery, pickup, metrics);
        daemon.tls = tls;
        daemon.auth = auth;
        metrics.bindState(delivery::paused, daemon.stopping::get);
        if (auth != null) {
            // APOP needs the plain secret, which only a checkpassword program can compare.
            boolean apop = !config.security().checkpassword().isEmpty();
            daemon.pop3Context = new Pop3Context(config, auth, apop, log, Clock.systemUTC());
            try {
                daemon.pop3 = Pop3Server.start(daemon.pop3Context, config.listeners());
            } catch (RuntimeException e) {
                daemon.close();
                throw new IOException("cannot listen: " + rootMessage(e), e);
            }
        }
        try {
            AdminToken token = AdminToken.loadOrCreate(config.admin().tokenFile());
            daemon.admin = AdminServer.start(config.admin(), token, new DaemonAdmin(daemon));
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw new IOException("cannot start the admin endpoint " + config.admin().listen() + ": "
                    + rootMessage(e), e);
        }
        for (InetSocketAddress a : smtp.addresses()) {
            log.log("status: listening on " + a.getAddress().getHostAddress() + ":" + a.getPort()
                    + " smtp");
        }
        if (daemon.pop3 != null) {
            for (InetSocketAddress p : daemon.pop3.addresses()) {
                log.log("status: listening on " + p.getAddress().getHostAddress() + ":" + p.getPort() + " pop3");
            }
        }
        InetSocketAddress a = daemon.admin.address();
        log.log("status: listening on " + a.getAddress().getHostAddress() + ":" + a.getPort() + " admin");
        return daemon;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    public SmtpServer smtp() {
        return smtp;
    }

    public QfluxConfig config() {
        return config;
    }

    /** qmail-send's ALRM: retry every queued message now. */
    public void doqueue() {
        log.log("status: retrying every queued message now");
        delivery.runAllNow();
    }

    /**
     * Rereads control/servercert.pem (a renewed certificate) for new connections; blocking.
     *
     * @throws IOException when the new file is unusable; the old certificate stays in use
     */
    public void reloadCertificate() throws IOException {
        if (tls != null) {
            tls.reload();
            log.log("status: reloaded " + config.security().serverCert());
        }
    }

    /** Bound on the scheduler's answer to a flush; it answers at once unless wedged. */
    private static final java.time.Duration FLUSH_BOUND = java.time.Duration.ofSeconds(10);

    /** Retry one message now. Waits for the scheduler's answer: call off the event loops. */
    public boolean flush(long messageId) {
        Boolean found = delivery.runNow(messageId).block(FLUSH_BOUND);
        if (Boolean.TRUE.equals(found)) {
            log.log("status: retrying msg " + messageId + " now");
        }
        return Boolean.TRUE.equals(found);
    }

    /**
     * The reason a bounce gives for the recipients an administrator bounced (qmail-style text with
     * an RFC 3463 code; 5.0.0: a permanent failure with no better subject).
     */
    static final String BOUNCED_BY_ADMINISTRATOR = "This message was bounced by the administrator. (#5.0.0)";

    /** Bounce every pending recipient of a message now. Waits for the spool: call off the event loops. */
    public Finish bounce(long messageId) {
        Finish f = finishPending(messageId, new RecipientOutcome.Failed(BOUNCED_BY_ADMINISTRATOR));
        if (f == Finish.DONE) {
            log.log("status: msg " + messageId + " bounced by the administrator");
        }
        return f;
    }

    /** Mark every pending recipient of a message done, without delivery or bounce. Call off the event loops. */
    public Finish delete(long messageId) {
        Finish f = finishPending(messageId,
                new RecipientOutcome.Delivered("deleted by the administrator, not delivered"));
        if (f == Finish.DONE) {
            log.log("status: msg " + messageId + " deleted by the administrator: its pending recipients get "
                    + "no mail and no bounce");
        }
        return f;
    }

    private Finish finishPending(long messageId, RecipientOutcome outcome) {
        Finish f = delivery.finishPending(messageId, outcome).block(FLUSH_BOUND);
        return f == null ? Finish.NOT_RECORDED : f;
    }

    /** Hold or release deliveries to one destination (a relay host:port, or a domain). */
    public void hold(String destination, boolean on) {
        delivery.hold(destination, on);
        log.log("status: " + (on ? "holding" : "releasing") + " deliveries to " + destination);
    }

    /** The init script's pause: no new deliveries; with {@code smtp}, MAIL gets 451 as well. */
    public void pause(boolean smtpToo) {
        delivery.pause(true);
        if (smtpToo) {
            server.pauseMail(true);
        }
        log.log("status: paused deliveries" + (smtpToo ? " and SMTP" : ""));
    }

    /** The init script's cont. */
    public void cont() {
        delivery.pause(false);
        server.pauseMail(false);
        log.log("status: continuing");
    }

    /**
     * Re-reads the conf directory. New SMTP sessions use the new configuration; listeners, the
     * queue directory and delivery settings stay until a restart. A bad file keeps the old one.
     *
     * @return empty if reloaded, or why the old configuration is kept
     */
    public Optional<String> reload() {
        try {
            QfluxConfig next = ConfigLoader.load(config.confDir());
            server.reconfigure(next);
            if (pop3Context != null) {
                pop3Context.reconfigure(next);
            }
            log.use(next.log());
            log.log("status: reloaded " + config.confDir());
            try {
                reloadCertificate(); // a renewed control/servercert.pem, for new connections
            } catch (IOException e) {
                log.log("warning: reload kept the old certificate: " + e.getMessage());
                return Optional.of("reloaded, but the old certificate is kept: " + e.getMessage());
            }
            return Optional.empty();
        } catch (ConfigException e) {
            log.log("warning: reload refused, old configuration kept: " + e.getMessage());
            return Optional.of("reload refused, old configuration kept: " + e.getMessage());
        }
    }

    /** Started, not paused, not stopping. */
    public boolean ready() {
        return !stopping.get() && !delivery.paused() && !server.mailPaused();
    }

    public boolean draining() {
        return stopping.get();
    }

    public boolean paused() {
        return delivery.paused();
    }

    long startedMillis() {
        return startedMillis;
    }

    ServerContext server() {
        return server;
    }

    DeliveryService delivery() {
        return delivery;
    }

    SpoolWriter spool() {
        return spool;
    }

    QfluxMetrics metrics() {
        return metrics;
    }

    AdminServer admin() {
        return admin;
    }

    /**
     * SIGTERM or {@code qflux stop}: the first request starts a graceful stop on its own thread,
     * a second one cuts the waiting short (still without losing accepted mail).
     */
    public void requestStop() {
        if (stopping.get()) {
            log.log("status: stop requested again, not waiting any longer");
            drain.force();
            return;
        }
        new Thread(this::close, "qflux-stop").start();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Drain (see {@link Drain}), then flush and close the spool. */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        // /ready is 503 from here on; with stopgrace, keep serving while a load balancer's health
        // check notices, so it sends new clients elsewhere before any is refused.
        drain.graceBeforeClosing(config.admin().stopGrace());
        server.refuseMailForShutdown();
        drain.run(config.admin().drainTimeout());
        smtp.close();
        if (pop3 != null) {
            pop3.close();
        }
        if (pop3Context != null) {
            pop3Context.close();
        }
        pickup.close();
        if (auth != null) {
            auth.close();
        }
        delivery.close();
        spool.close();
        if (admin != null) {
            admin.close();
        }
        metrics.close();
        var latency = server.acceptLatency();
        if (latency.count() > 0) {
            log.log(String.format(Locale.ROOT,
                    "stats: accept latency p50 %.2f ms p99 %.2f ms p999 %.2f ms over %d messages",
                    latency.quantileMillis(0.50), latency.quantileMillis(0.99),
                    latency.quantileMillis(0.999), latency.count()));
        }
        log.log("status: exiting");
        stopped.countDown();
    }
}

package dev.qflux.daemon;

import dev.qflux.auth.Authenticators;
import dev.qflux.auth.CloseableAuthenticator;
import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.deliver.DeliveryService;
import dev.qflux.inject.MaildropPickup;
import dev.qflux.log.LogSink;
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
import java.util.concurrent.CountDownLatch;

/**
 * One running qflux: configuration, spool, delivery and listeners wired together, and stopped in
 * the order that loses nothing: stop accepting, stop starting deliveries, then let the spool
 * finish what it was given.
 */
public final class Daemon implements AutoCloseable {
    private final QfluxConfig config;
    private final LogSink log;
    private final SpoolWriter spool;
    private final ServerContext server;
    private final SmtpServer smtp;
    private final DeliveryService delivery;
    private final MaildropPickup pickup;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The server certificate (null without control/servercert.pem) and the login checker. */
    private ServerTls tls;
    private CloseableAuthenticator auth;

    private Daemon(QfluxConfig config, LogSink log, SpoolWriter spool, ServerContext server,
                   SmtpServer smtp, DeliveryService delivery, MaildropPickup pickup) {
        this.delivery = delivery;
        this.pickup = pickup;
        this.config = config;
        this.log = log;
        this.spool = spool;
        this.server = server;
        this.smtp = smtp;
    }

    /** Reads conf, opens (and recovers) the spool, binds the listeners. */
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
        ServerContext server = new ServerContext(config, spool, log, Clock.systemUTC(), uid(),
                new ServerSecurity(tls, auth));
        server.recipientCheck(delivery::acceptsRecipient);
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
            throw new IOException("cannot listen: " + rootMessage(e), e);
        }
        for (InetSocketAddress a : smtp.addresses()) {
            log.log("status: listening on " + a.getAddress().getHostAddress() + ":" + a.getPort()
                    + " smtp");
        }
        Daemon daemon = new Daemon(config, log, spool, server, smtp, delivery, pickup);
        daemon.tls = tls;
        daemon.auth = auth;
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

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stop accepting connections, then flush and close the spool. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        smtp.close();
        pickup.close();
        if (auth != null) {
            auth.close();
        }
        delivery.close();
        spool.close();
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

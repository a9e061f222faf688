package dev.qflux.deliver;

import dev.qflux.bounce.BounceSettings;
import dev.qflux.bounce.Bouncer;
import dev.qflux.config.ConfigException;
import dev.qflux.config.DeliveryConfig;
import dev.qflux.config.QfluxConfig;
import dev.qflux.deliver.remote.OutboundTls;
import dev.qflux.deliver.remote.RemoteOptions;
import dev.qflux.deliver.remote.SmtpClientDelivery;
import dev.qflux.dns.DnsMxResolver;
import dev.qflux.local.LocalDelivery;
import dev.qflux.local.LocalSettings;
import dev.qflux.log.LogSink;
import dev.qflux.route.Route;
import dev.qflux.route.Router;
import dev.qflux.schedule.DeliveryAgent;
import dev.qflux.schedule.DeliveryEvent;
import dev.qflux.schedule.Scheduler;
import dev.qflux.schedule.SchedulerOptions;
import dev.qflux.schedule.SchedulerStats;
import dev.qflux.dns.DnsStats;
import reactor.core.publisher.Flux;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.SpoolWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * qmail-send, wired: every message the spool holds or accepts goes to the scheduler; remote
 * attempts go through routing, MX lookup and SMTP delivery; outcomes go back to the spool's state
 * log (bounces first); events become qmail-send's log lines. Local recipients are held in the
 * queue until the local delivery agent exists: they are never attempted and never marked done.
 */
public final class DeliveryService implements AutoCloseable {
    /** DNS answers cached (names and record types): a relay talks to many domains. */
    static final long DNS_CACHE_ENTRIES = 100_000;
    /** How long one DNS query may take before it counts as a temporary failure (4.4.3). */
    static final Duration DNS_TIMEOUT = Duration.ofSeconds(10);
    /** Local delivery's scratch files (program input and output), inside the queue directory. */
    static final String LOCAL_WORK_DIR = "local";

    private final SpoolWriter spool;
    private final Router router;
    private final MessageIndex index = new MessageIndex();
    private final SmtpClientDelivery remote;
    private final LocalDelivery local;
    private final Scheduler scheduler;
    private final Disposable events;
    private final Disposable accepted;
    private final SchedulerOptions options;
    private final DnsMxResolver dns;
    private volatile boolean paused;

    private DeliveryService(QfluxConfig config, LocalSettings localSettings, SpoolWriter spool, LogSink log) {
        DeliveryConfig d = config.delivery();
        this.spool = spool;
        this.router = new Router(config);
        var servers = d.resolvers().isEmpty() ? DnsMxResolver.systemServers() : d.resolvers();
        this.dns = DnsMxResolver.create(servers, DNS_TIMEOUT, DNS_CACHE_ENTRIES);
        var targets = new TargetResolver(dns, ourAddresses());
        RemoteOptions defaults = RemoteOptions.defaults(d.heloHost());
        this.remote = SmtpClientDelivery.create(new RemoteOptions(d.heloHost(), d.timeoutConnect(),
                d.timeoutRemote(), defaults.maxIdlePerHost(), defaults.idleTime(),
                defaults.opportunisticTls(), null), outboundTls(config));
        Bouncer bouncer = new Bouncer(new BounceSettings(config.me(), d.bounceFrom(), d.bounceHost(),
                d.doubleBounceTo(), d.doubleBounceHost(), BounceSettings.DEFAULT_MAX_ORIGINAL_BYTES),
                Clock.systemUTC());
        this.local = LocalDelivery.create(localSettings, new SpoolForwarder(spool, log),
                config.queueDir().resolve(LOCAL_WORK_DIR));
        DeliveryAgent remoteAgent = new RemoteAgent(router, targets, remote, spool, index);
        DeliveryAgent localAgent = new LocalAgent(router, local, spool, index);
        this.options = new SchedulerOptions(d.concurrencyRemote(), d.concurrencyLocal(),
                d.concurrencyPerDestination(), d.queueLifetime());
        this.scheduler = new Scheduler(options,
                job -> job.local() ? localAgent.attempt(job) : remoteAgent.attempt(job),
                new SpoolOutcomes(spool, index, bouncer, log),
                router::destinationKey, this::isLocal, Schedulers.parallel());
        DeliveryLog lines = new DeliveryLog(log, d.concurrencyRemote(), d.concurrencyLocal());
        this.events = scheduler.events().subscribe(e -> {
            lines.on(e);
            if (e instanceof DeliveryEvent.MessageDone done) {
                index.remove(done.messageId());
            }
        });
        this.accepted = spool.accepted().subscribe(this::add);
        spool.takeRecovered(this::add);
    }

    /** control/tlsdestinations and control/tlsca.pem (checked when the configuration was read). */
    private static OutboundTls outboundTls(QfluxConfig config) {
        try {
            return OutboundTls.from(config.security());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Starts delivering what the spool holds and whatever it accepts from now on.
     *
     * @throws ConfigException if the local delivery files (users/assign, defaultdelivery,
     *                         timeoutlocal) are malformed
     */
    public static DeliveryService start(QfluxConfig config, SpoolWriter spool, LogSink log) throws ConfigException {
        return new DeliveryService(config, LocalSettings.load(config), spool, log);
    }

    /**
     * Whether a recipient would be taken at RCPT time: remote ones always (their fate is the
     * remote host's), local ones only if some user, extension or alias owns them, so unknown
     * local addresses are refused in the SMTP dialogue instead of bounced later (no backscatter).
     * Never blocks.
     */
    public boolean acceptsRecipient(String recipient) {
        Route route = router.route(recipient);
        return !(route instanceof Route.Local l) || local.accepts(l);
    }

    private void add(QueueEntry entry) {
        index.put(entry.id(), entry.segment(), entry.bodyOffset(), entry.bytes(), entry.sender());
        scheduler.add(entry.id(), entry.birthMillis(), entry.recipients(), entry.done());
    }

    private boolean isLocal(String recipient) {
        return router.route(recipient) instanceof Route.Local;
    }

    /** qmail's ALRM ({@code doqueue}): try every queued message now. */
    public void runAllNow() {
        scheduler.runAllNow();
    }

    /**
     * {@code qflux pause}: start no new attempt (concurrency 0, qmail's way); attempts running
     * go on. {@code false} restores the configured limits ({@code qflux cont}).
     */
    public void pause(boolean on) {
        paused = on;
        scheduler.setOptions(on ? options.withConcurrency(0, 0) : options);
    }

    public boolean paused() {
        return paused;
    }

    /** Retry one queued message now; false if it is not waiting (unknown, finished or running). */
    public reactor.core.publisher.Mono<Boolean> runNow(long messageId) {
        return scheduler.runNow(messageId);
    }

    /** Record one outcome for every pending recipient of an idle message (admin bounce and delete). */
    public reactor.core.publisher.Mono<Scheduler.Finish> finishPending(long messageId, RecipientOutcome outcome) {
        return scheduler.finishPending(messageId, outcome);
    }

    /** Hold (or release) deliveries to one destination: a relay {@code host:port} or a domain. */
    public void hold(String destination, boolean on) {
        scheduler.hold(destination, on);
    }

    /** What the scheduler did, for metrics (see {@link Scheduler#events()}). */
    public Flux<DeliveryEvent> events() {
        return scheduler.events();
    }

    public SchedulerStats stats() {
        return scheduler.stats();
    }

    public DnsStats dnsStats() {
        return dns.stats();
    }

    /** Addresses of this host, for qmail-remote's "I'm the best MX" check (read once at start). */
    private static Set<InetAddress> ourAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Without the list the check cannot match; MX loops then end at the hop limit.
        }
        return out;
    }

    /** Stops starting attempts; those in flight end or are repeated after a restart. */
    @Override
    public void close() {
        accepted.dispose();
        scheduler.close();
        events.dispose();
        remote.close();
        local.close();
    }
}

package dev.qflux.deliver;

import dev.qflux.bounce.BounceSettings;
import dev.qflux.bounce.Bouncer;
import dev.qflux.config.DeliveryConfig;
import dev.qflux.config.QfluxConfig;
import dev.qflux.deliver.remote.RemoteOptions;
import dev.qflux.deliver.remote.SmtpClientDelivery;
import dev.qflux.dns.DnsMxResolver;
import dev.qflux.log.LogSink;
import dev.qflux.route.Route;
import dev.qflux.route.Router;
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
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
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

    private final SpoolWriter spool;
    private final Router router;
    private final MessageIndex index = new MessageIndex();
    private final SmtpClientDelivery remote;
    private final Scheduler scheduler;
    private final Disposable events;
    private final Disposable accepted;
    private final SchedulerOptions options;
    private final DnsMxResolver dns;
    private volatile boolean paused;

    private DeliveryService(QfluxConfig config, SpoolWriter spool, LogSink log) {
        DeliveryConfig d = config.delivery();
        this.spool = spool;
        this.router = new Router(config);
        var servers = d.resolvers().isEmpty() ? DnsMxResolver.systemServers() : d.resolvers();
        this.dns = DnsMxResolver.create(servers, DNS_TIMEOUT, DNS_CACHE_ENTRIES);
        var targets = new TargetResolver(dns, ourAddresses());
        RemoteOptions defaults = RemoteOptions.defaults(d.heloHost());
        this.remote = SmtpClientDelivery.create(new RemoteOptions(d.heloHost(), d.timeoutConnect(),
                d.timeoutRemote(), defaults.maxIdlePerHost(), defaults.idleTime(),
                defaults.opportunisticTls(), null));
        Bouncer bouncer = new Bouncer(new BounceSettings(config.me(), d.bounceFrom(), d.bounceHost(),
                d.doubleBounceTo(), d.doubleBounceHost(), BounceSettings.DEFAULT_MAX_ORIGINAL_BYTES),
                Clock.systemUTC());
        this.options = new SchedulerOptions(d.concurrencyRemote(), d.concurrencyLocal(),
                d.concurrencyPerDestination(), d.queueLifetime());
        this.scheduler = new Scheduler(options,
                new RemoteAgent(router, targets, remote, spool, index),
                new SpoolOutcomes(spool, index, bouncer, log),
                router::destinationKey, this::isLocal, Schedulers.parallel());
        DeliveryLog lines = new DeliveryLog(log, d.concurrencyRemote(), d.concurrencyLocal());
        this.events = scheduler.events().subscribe(e -> {
            lines.on(e);
            if (e instanceof DeliveryEvent.MessageDone done && !holdsLocal(done.messageId())) {
                index.remove(done.messageId());
            }
        });
        this.accepted = spool.accepted().subscribe(this::add);
        for (QueueEntry entry : spool.recovered()) {
            add(entry);
        }
    }

    /** Starts delivering what the spool holds and whatever it accepts from now on. */
    public static DeliveryService start(QfluxConfig config, SpoolWriter spool, LogSink log) {
        return new DeliveryService(config, spool, log);
    }

    private void add(QueueEntry entry) {
        index.put(entry);
        // The scheduler sees held (local) recipients as done; the spool does not, so they stay.
        BitSet done = entry.done();
        List<String> rcpts = entry.recipients();
        for (int i = 0; i < rcpts.size(); i++) {
            if (isLocal(rcpts.get(i))) {
                done.set(i);
            }
        }
        if (done.cardinality() < rcpts.size()) {
            scheduler.add(entry.id(), entry.birthMillis(), rcpts, done);
        }
    }

    private boolean isLocal(String recipient) {
        return router.route(recipient) instanceof Route.Local;
    }

    private boolean holdsLocal(long messageId) {
        QueueEntry e = index.get(messageId);
        return e != null && e.recipients().stream().anyMatch(this::isLocal);
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
    }
}

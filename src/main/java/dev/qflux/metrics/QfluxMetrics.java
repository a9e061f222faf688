package dev.qflux.metrics;

import dev.qflux.dns.DnsStats;
import dev.qflux.schedule.DeliveryEvent;
import dev.qflux.schedule.SchedulerStats;
import dev.qflux.spool.SpoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The daemon's meters in a Prometheus registry. Most are read when scraped, from counters the parts
 * keep anyway ({@link SpoolStats}, {@link SchedulerStats}, the session limiter), so hot paths pay
 * nothing; deliveries are counted from the scheduler's event flux. Names: {@link MeterNames}.
 */
public final class QfluxMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final CommandMeters commands = new CommandMeters(registry);
    private DeliveryMeters deliveries;
    private Supplier<SchedulerStats> schedulerStats;
    private Disposable events;
    /** Micrometer holds a function counter's source weakly; these lambdas have no other holder. */
    private final List<Object> sources = new ArrayList<>();

    public QfluxMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** SMTP sessions: open now and begun since start. */
    public void bindSmtp(IntSupplier open, LongSupplier started) {
        Gauge.builder(MeterNames.SMTP_SESSIONS, open::getAsInt).description("SMTP sessions open")
                .register(registry);
        sources.add(started);
        FunctionCounter.builder(MeterNames.SMTP_SESSIONS_STARTED, started, LongSupplier::getAsLong)
                .description("SMTP sessions begun").register(registry);
    }

    /** For {@code ServerContext.countCommands}: commands by verb and reply class. */
    public void countCommand(String verb, int replyCode) {
        commands.count(verb, replyCode);
    }

    /** Accepted messages and bytes, failures, group-commit flushes and the queue's size. */
    public void bindSpool(Supplier<SpoolStats> stats, LongSupplier queued) {
        counter(MeterNames.MESSAGES_ACCEPTED, "messages accepted (250 sent)", stats, SpoolStats::accepted);
        counter(MeterNames.BYTES_ACCEPTED, "body bytes accepted", stats, SpoolStats::bytes);
        counter(MeterNames.SPOOL_FAILURES, "messages the spool could not accept", stats, SpoolStats::failures);
        counter(MeterNames.SPOOL_FLUSHES, "journal fsyncs (group commits)", stats, SpoolStats::flushes);
        Gauge.builder(MeterNames.QUEUE_MESSAGES, queued::getAsLong).description("messages in the queue")
                .register(registry);
    }

    /** Deliveries by channel and outcome, their duration, attempts in flight and pending, DNS. */
    public void bindDelivery(Flux<DeliveryEvent> events, Supplier<SchedulerStats> stats,
                             Supplier<DnsStats> dns) {
        this.deliveries = new DeliveryMeters(registry);
        this.schedulerStats = stats;
        this.events = events.subscribe(deliveries::on);
        Gauge.builder(MeterNames.DELIVERIES_PENDING, () -> stats.get().pendingJobs())
                .description("delivery attempts waiting for a slot").register(registry);
        counter(MeterNames.EVENTS_DROPPED, "scheduler events missed by slow subscribers", stats,
                SchedulerStats::eventsDropped);
        counter(MeterNames.DNS_QUERIES, "DNS queries sent", dns, DnsStats::queriesSent);
        counter(MeterNames.DNS_CACHE_HITS, "DNS lookups answered from the cache", dns, DnsStats::cacheHits);
    }

    /** Whether deliveries are paused and whether a stop is draining. */
    public void bindState(BooleanSupplier paused, BooleanSupplier draining) {
        Gauge.builder(MeterNames.PAUSED, () -> paused.getAsBoolean() ? 1 : 0)
                .description("1 while deliveries are paused").register(registry);
        Gauge.builder(MeterNames.DRAINING, () -> draining.getAsBoolean() ? 1 : 0)
                .description("1 while stopping").register(registry);
    }

    /** The last deferral reason per destination (most recently deferred kept). */
    public Map<String, String> lastDeferrals() {
        return deliveries == null ? Map.of() : deliveries.lastDeferrals();
    }

    /** Prometheus text exposition format 0.0.4. Reads /proc for process meters: not on an event loop. */
    public String scrape() {
        if (deliveries != null) {
            deliveries.refreshInFlight(schedulerStats.get().inFlightPerDestination());
        }
        return registry.scrape();
    }

    private <T> void counter(String name, String description, Supplier<T> source, ToDoubleFunction<T> value) {
        sources.add(source);
        FunctionCounter.builder(name, source, s -> value.applyAsDouble(s.get())).description(description)
                .register(registry);
    }

    @Override
    public void close() {
        if (events != null) {
            events.dispose();
        }
        gc.close();
        registry.close();
    }
}

package dev.qflux.metrics;

/**
 * Every meter qflux publishes, in one place. Prometheus sees the dots as underscores, counters
 * with {@code _total} and timers in seconds. Tags are small closed sets (channel, outcome), except
 * {@code destination}, which could grow with every domain mailed: it is capped to the
 * {@value DeliveryMeters#TOP_DESTINATIONS} busiest destinations, the rest summed as "other".
 */
public final class MeterNames {
    /** SMTP sessions open now (gauge). */
    public static final String SMTP_SESSIONS = "qflux.smtp.sessions";
    /** SMTP sessions begun since start (counter). */
    public static final String SMTP_SESSIONS_STARTED = "qflux.smtp.sessions.started";
    /** SMTP commands by verb and reply class (counter). */
    public static final String SMTP_COMMANDS = "qflux.smtp.commands";
    /** Messages made durable and answered 250 (counter). */
    public static final String MESSAGES_ACCEPTED = "qflux.messages.accepted";
    /** Body bytes of accepted messages (counter). */
    public static final String BYTES_ACCEPTED = "qflux.bytes.accepted";
    /** Messages the spool failed to accept: disk full, write errors (counter). */
    public static final String SPOOL_FAILURES = "qflux.spool.failures";
    /** Group-commit fsyncs of the journal; accepted / flushes = messages per fsync (counter). */
    public static final String SPOOL_FLUSHES = "qflux.spool.flushes";
    /** Messages in the queue (gauge). */
    public static final String QUEUE_MESSAGES = "qflux.queue.messages";
    /** Delivery attempts' recipients by channel (local, remote) and outcome (counter). */
    public static final String DELIVERIES = "qflux.deliveries";
    /** Time one delivery attempt took, by channel (timer with histogram). */
    public static final String DELIVERY_DURATION = "qflux.delivery.duration";
    /** Attempts running now, by destination, top N plus "other" (gauge). */
    public static final String DELIVERIES_IN_FLIGHT = "qflux.deliveries.inflight";
    /** Attempts waiting for a free slot (gauge). */
    public static final String DELIVERIES_PENDING = "qflux.deliveries.pending";
    /** Scheduler events a slow subscriber missed: metrics and logs may undercount (counter). */
    public static final String EVENTS_DROPPED = "qflux.scheduler.events.dropped";
    /** DNS queries sent and lookups answered from the cache (counters). */
    public static final String DNS_QUERIES = "qflux.dns.queries";
    public static final String DNS_CACHE_HITS = "qflux.dns.cache.hits";
    /** 1 while deliveries are paused, 1 while draining for a stop (gauges). */
    public static final String PAUSED = "qflux.paused";
    public static final String DRAINING = "qflux.draining";

    private MeterNames() {
    }
}

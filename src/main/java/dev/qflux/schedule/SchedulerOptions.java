package dev.qflux.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * The scheduler's limits.
 *
 * @param concurrencyRemote attempts in flight to remote destinations in total (qmail's
 *                          {@code control/concurrencyremote}); 0 holds remote deliveries
 * @param concurrencyLocal  local attempts in flight in total ({@code control/concurrencylocal});
 *                          0 holds local deliveries
 * @param perDestination    remote attempts in flight to one destination (Postfix's
 *                          {@code default_destination_concurrency_limit}); local deliveries are
 *                          bounded by {@code concurrencyLocal} alone
 * @param queueLifetime     {@code control/queuelifetime}
 */
public record SchedulerOptions(int concurrencyRemote, int concurrencyLocal, int perDestination,
                               Duration queueLifetime) {

    /** qmail's default {@code concurrencyremote}. */
    public static final int DEFAULT_CONCURRENCY_REMOTE = 20;
    /** qmail's default {@code concurrencylocal}. */
    public static final int DEFAULT_CONCURRENCY_LOCAL = 10;
    /** Postfix's {@code default_destination_concurrency_limit}. */
    public static final int DEFAULT_PER_DESTINATION = 20;

    public SchedulerOptions {
        if (concurrencyRemote < 0 || concurrencyLocal < 0 || perDestination < 1) {
            throw new IllegalArgumentException("concurrency must be >= 0 and perDestination >= 1");
        }
        Objects.requireNonNull(queueLifetime, "queueLifetime");
    }

    /** qmail's and Postfix's defaults. */
    public static SchedulerOptions defaults() {
        return new SchedulerOptions(DEFAULT_CONCURRENCY_REMOTE, DEFAULT_CONCURRENCY_LOCAL,
                DEFAULT_PER_DESTINATION, RetrySchedule.DEFAULT_QUEUE_LIFETIME);
    }

    /** The same limits with both concurrencies set (0 and 0 is qmail's way to pause). */
    public SchedulerOptions withConcurrency(int remote, int local) {
        return new SchedulerOptions(remote, local, perDestination, queueLifetime);
    }
}

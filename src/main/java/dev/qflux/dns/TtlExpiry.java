package dev.qflux.dns;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Lets each cached lookup live as long as its records' TTL (RFC 1035 section 3.2.1; for negative
 * answers the SOA minimum, RFC 2308 section 5), clamped to [{@link #MIN_TTL}, {@link #MAX_TTL}].
 * Temporary failures expire at once: a SERVFAIL is not remembered, so the next delivery attempt
 * asks again (the scheduler's retry backoff already paces those attempts, and queries for the same
 * name that overlap still share one query in flight).
 */
final class TtlExpiry implements Expiry<QueryKey, LookupResult> {
    /** A TTL of 0 must not turn every lookup into a query; one second bounds the rate per name. */
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    /** RFC 2308 section 5 suggests at most a day or so for negative caching; applied to all answers. */
    static final Duration MAX_TTL = Duration.ofDays(1);

    /** How long {@code result} may be reused. */
    static Duration timeToLive(LookupResult result) {
        if (result instanceof LookupResult.Failure) {
            return Duration.ZERO;
        }
        long seconds = Math.max(MIN_TTL.toSeconds(), Math.min(MAX_TTL.toSeconds(), result.ttlSeconds()));
        return Duration.ofSeconds(seconds);
    }

    @Override
    public long expireAfterCreate(QueryKey key, LookupResult value, long currentTime) {
        return timeToLive(value).toNanos();
    }

    @Override
    public long expireAfterUpdate(QueryKey key, LookupResult value, long currentTime, long currentDuration) {
        return timeToLive(value).toNanos();
    }

    @Override
    public long expireAfterRead(QueryKey key, LookupResult value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}

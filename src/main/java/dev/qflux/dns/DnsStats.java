package dev.qflux.dns;

/**
 * Counters for metrics and tests. {@code queriesSent} counts queries handed to the network (one per
 * (name, type) lookup that missed the cache); {@code cacheHits} counts lookups answered from the
 * cache or by joining a query already in flight.
 */
public record DnsStats(long queriesSent, long cacheHits) {
}

/**
 * Measurements the daemon keeps about itself: the end-of-data to {@code 250} latency histogram the
 * accept benchmark reports, and the Micrometer meters (names in {@link dev.qflux.metrics.MeterNames})
 * that the admin endpoint serves to Prometheus, read from counters the parts keep anyway so hot
 * paths pay nothing extra.
 */
package dev.qflux.metrics;

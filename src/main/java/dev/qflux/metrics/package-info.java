/**
 * Measurements the daemon keeps about itself, cheap enough for hot paths: for now the end-of-data
 * to {@code 250} latency that the accept benchmark reports.
 */
package dev.qflux.metrics;

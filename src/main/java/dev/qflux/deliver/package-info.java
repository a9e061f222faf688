/**
 * Delivery, shared by its remote and local agents: the closed set of per-recipient outcomes the
 * scheduler records.
 */
package dev.qflux.deliver;

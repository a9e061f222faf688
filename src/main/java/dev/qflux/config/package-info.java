/**
 * Configuration: reads a qmail-style conf directory ({@code control/<name>} files with qmail's
 * names, formats and defaults, {@code tcp.smtp} in tcprules' text format, and qflux's own
 * {@code control/listen}) into one immutable {@link dev.qflux.config.QfluxConfig}, so a reload
 * swaps a whole value. Delivery's files (concurrency, timeouts, bounce names, percenthack,
 * virtualdomains, smtproutes, resolver) are grouped in {@link dev.qflux.config.DeliveryConfig}.
 * Bad input fails with a {@link dev.qflux.config.ConfigException} naming the file and line; the
 * lookups made per connection, command or recipient (tcp.smtp rules, rcpthosts, badmailfrom,
 * virtualdomains, smtproutes) are hash lookups without I/O. See docs/configuration.md.
 */
package dev.qflux.config;

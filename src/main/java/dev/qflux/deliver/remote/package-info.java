/**
 * Remote delivery (qmail-remote): one SMTP transaction per destination carrying all of its
 * recipients, over Reactor Netty with a small pool of idle connections per host address,
 * PIPELINING, opportunistic STARTTLS, SIZE, 8BITMIME and SMTPUTF8. Every result, including each
 * failure, comes back as a {@link dev.qflux.deliver.RecipientOutcome} per recipient with
 * qmail-remote's wording; nothing here logs.
 */
package dev.qflux.deliver.remote;

/**
 * Routing: decides, from the configuration alone and without I/O, where each recipient goes -
 * delivered here ({@code locals}, {@code virtualdomains}, after qmail-send's {@code envnoathost}
 * and {@code percenthack} rewriting) or sent to another host (by MX, or to the relay
 * {@code smtproutes} names, as qmail-remote) - and which destination its deliveries are grouped
 * and limited by.
 */
package dev.qflux.route;

/**
 * MX lookups for remote delivery (RFC 5321 section 5.1): {@link dev.qflux.dns.MxResolver} turns a
 * destination domain into MX hosts in preference order with their addresses, or into a closed
 * outcome (null MX, no such domain, temporary failure). Queries go out through dnsjava's
 * asynchronous resolver, so no thread waits on the network, and answers are cached by their TTL
 * (negative answers by the SOA minimum, RFC 2308). Address literals such as {@code [1.2.3.4]}
 * need no DNS and are handled by the caller before it asks here.
 */
package dev.qflux.dns;

/**
 * Hostile clients against a real server over real sockets, one concern per class: framing and
 * smuggling ({@code FramingTest}, {@code SmugglingTest}), command order, addresses, relay attempts,
 * sizes, hop loops, floods, slow senders and recipient limits. Each case checks the exact reply,
 * that nothing was queued that should not be, and that a normal client is served afterwards.
 * STARTTLS and AUTH abuse (plaintext injected after STARTTLS, commands out of order, AUTH
 * floods and bad encodings) are in {@code StartTlsAbuseTest} and {@code AuthAbuseTest};
 * {@code MemoryBoundTest} shows overlong input costs a fixed amount of memory, and
 * {@code HostileInputCasesTest} keeps docs/security.md's table of cases and replies true.
 */
package dev.qflux.hostile;

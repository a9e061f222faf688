/**
 * Hostile clients against a real server over real sockets, one concern per class: framing and
 * smuggling ({@code FramingTest}, {@code SmugglingTest}), command order, addresses, relay attempts,
 * sizes, hop loops, floods, slow senders and recipient limits. Each case checks the exact reply,
 * that nothing was queued that should not be, and that a normal client is served afterwards.
 * STARTTLS and AUTH abuse (commands before/after the handshake, plaintext injected after
 * STARTTLS, AUTH floods and bad encodings) belong in {@code StartTlsAbuseTest} and
 * {@code AuthAbuseTest} here, beside those features.
 */
package dev.qflux.hostile;

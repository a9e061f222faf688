package dev.qflux.deliver;

/**
 * What one delivery attempt did for one recipient: qmail-remote's {@code r}/{@code s}/{@code h}
 * per recipient, a closed set (design.md invariant 9). {@code text} is the reason as qmail would
 * log it (the remote host's reply where there was one), without CR or LF.
 */
public sealed interface RecipientOutcome {
    String text();

    /** Accepted by the next hop (qmail's {@code r}). */
    record Delivered(String text) implements RecipientOutcome {
    }

    /** Try again later (qmail's {@code s}); a 4xx reply, a timeout, a lost connection. */
    record Deferred(String text) implements RecipientOutcome {
    }

    /** Will never work (qmail's {@code h}); a 5xx reply, a null MX, no such domain. */
    record Failed(String text) implements RecipientOutcome {
    }
}

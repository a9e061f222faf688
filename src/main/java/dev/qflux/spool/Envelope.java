package dev.qflux.spool;

import java.util.List;

/**
 * A message's envelope: the reverse path ("" for the null sender) and the recipients, as qmail-queue
 * takes them. Stored in qmail-queue's own format, {@code F<sender>\0T<rcpt>\0...\0}.
 */
public record Envelope(String sender, List<String> recipients) {
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("envelope without recipients");
        }
    }
}

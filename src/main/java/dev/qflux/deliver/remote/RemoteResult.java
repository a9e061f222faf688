package dev.qflux.deliver.remote;

import dev.qflux.deliver.RecipientOutcome;
import java.util.List;

/**
 * The outcome of one remote transaction: one {@link RecipientOutcome} per recipient in the order
 * given, with the message-level result (qmail's K/Z/D after DATA) already folded in: a recipient
 * accepted at RCPT whose DATA was refused is Deferred or Failed with DATA's reply.
 *
 * @param host the host that answered last, as "name [address]" for the log
 */
public record RemoteResult(List<RecipientOutcome> recipients, String host) {
    public RemoteResult {
        recipients = List.copyOf(recipients);
    }
}

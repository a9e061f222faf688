package dev.qflux.bounce;

import java.util.Objects;

/**
 * One recipient that failed for good.
 *
 * @param address   the recipient's address as it was in the envelope
 * @param reason    why, in qmail's log form: lines joined with {@code /}, for example
 *                  {@code "Connected to 192.0.2.1 but sender was rejected./Remote host said: 550 5.1.1 no such user/"}
 * @param remoteMta the host that gave the final answer, or {@code null} when no remote host did
 */
public record FailedRecipient(String address, String reason, String remoteMta) {
    public FailedRecipient {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(reason, "reason");
    }
}
